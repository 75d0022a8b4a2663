-- The families a village meeting read out (issue #24): frozen when its first decision is
-- recorded (every family on its list then), and each family decided later added. From then
-- on the meeting's list, its reprints and its workbook are these families: one arriving at
-- the hub after the meeting waits for the next meeting instead of showing as undecided.
CREATE TABLE musdes_listed (
    meeting_id BIGINT NOT NULL REFERENCES musdes_meetings (meeting_id),
    record_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, record_id)
);
