-- Issue #19: the audit trail. Who did what, when and from where: sign-ins, uploads,
-- reviews, conflict resolutions, exports and downloads, household page views, enumerator
-- and prelist changes, settings. Append-only: the application only ever inserts, and
-- triggers (made by `audit::guard`, in each database's own dialect) refuse UPDATE and
-- DELETE on both tables.

CREATE TABLE audit_events (
    -- 1, 2, 3… in the order the events were written (taken as MAX + 1 under the hub's one
    -- writer; two hubs on one PostgreSQL racing for a number retry on the unique key)
    seq BIGINT PRIMARY KEY,
    -- milliseconds since 1970, UTC
    at BIGINT NOT NULL,
    -- the staff account, `cli` for the command line, or the enumerator for a sync
    actor TEXT NOT NULL,
    -- the client's IP address as the hub saw it; `lokal` for the command line
    address TEXT NOT NULL,
    -- `audit::Action::code`
    action TEXT NOT NULL,
    -- what, as a JSON object (batch id, profile, region, counts, …); never a NIK or a name
    detail TEXT NOT NULL,
    -- how many households the event touched (their ids in audit_households)
    households BIGINT NOT NULL
);

CREATE INDEX audit_events_by_time ON audit_events (at);
CREATE INDEX audit_events_by_actor ON audit_events (actor, at);

-- The households an event touched: viewed, reviewed, uploaded, exported.
CREATE TABLE audit_households (
    seq BIGINT NOT NULL REFERENCES audit_events (seq),
    record_id TEXT NOT NULL,
    PRIMARY KEY (seq, record_id)
);

CREATE INDEX audit_households_by_record ON audit_households (record_id, seq);
