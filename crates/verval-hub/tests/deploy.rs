//! The deployment files in `deploy/` (issue #18, item 4) are the ones that work: systemd
//! accepts the unit and rates its sandbox as tight, the command it runs (with the values of
//! the example settings file) starts a hub that answers over its public URL's rules, and the
//! admin password a district sets before the first start is the one that signs in.

mod support;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_verval-hub");

fn deploy_file(name: &str) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo");
    repo.join("deploy").join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verval-deploy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// `KEY=value` lines as systemd's EnvironmentFile reads them (quotes taken off).
fn environment_file(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
        .collect()
}

fn unit_value<'a>(unit: &'a str, key: &str) -> &'a str {
    unit.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("the unit has no {key}="))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port()
}

/// The repository's units, as installed, with the binary and settings file where this
/// checkout has them.
const UNITS: [&str; 3] = [
    "verval-hub.service",
    "verval-hub-backup.service",
    "verval-hub-backup.timer",
];

#[test]
fn systemd_accepts_the_units_and_rates_their_sandbox_tight() {
    let dir = temp_dir("unit");
    for name in UNITS {
        let unit = std::fs::read_to_string(deploy_file(name))
            .unwrap_or_else(|e| panic!("deploy/{name}: {e}"))
            .replace("/usr/local/bin/verval-hub", BINARY)
            .replace(
                "/etc/verval-hub.env",
                &deploy_file("verval-hub.env").display().to_string(),
            );
        std::fs::write(dir.join(name), unit).expect("unit");
    }
    for name in UNITS {
        let path = dir.join(name);
        let verify = Command::new("systemd-analyze")
            .arg("verify")
            .arg(&path)
            .output()
            .expect("systemd-analyze (scripts/ensure-tools installs systemd)");
        let said = String::from_utf8_lossy(&verify.stderr);
        assert!(
            verify.status.success() && !said.contains("verval-hub"),
            "systemd-analyze verify {name}: {said}"
        );
        if name.ends_with(".service") {
            // Exposure 2.0 or less of 10 ("OK"): the service can write only its own directory.
            support::run_ok(
                Command::new("systemd-analyze")
                    .args(["security", "--offline=true", "--threshold=20"])
                    .arg(&path),
                &format!("systemd-analyze security {name}"),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An ExecStart= value split into words as systemd does (single quotes keep spaces, `%%` is
/// a percent sign).
fn exec_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (word, tail) = match rest.strip_prefix('\'') {
            Some(quoted) => quoted.split_once('\'').expect("a closing quote"),
            None => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
        };
        words.push(word.replace("%%", "%"));
        rest = tail.trim_start();
    }
    words
}

/// The unit's command, run as systemd runs it: the example settings file's values, the
/// state directory as working directory, an installed app.
struct UnitsHub {
    child: Child,
    port: u16,
    state: PathBuf,
    settings: HashMap<String, String>,
}

impl UnitsHub {
    /// With the example settings as they are, but for an admin password of our own.
    fn start(name: &str) -> UnitsHub {
        Self::start_with(name, Some("kata-sandi-uji"))
    }

    fn start_with(name: &str, admin_password: Option<&str>) -> UnitsHub {
        let unit = std::fs::read_to_string(deploy_file("verval-hub.service")).expect("unit");
        let mut settings = environment_file(
            &std::fs::read_to_string(deploy_file("verval-hub.env")).expect("deploy/verval-hub.env"),
        );
        let port = free_port();
        settings.insert("VERVAL_LISTEN".into(), format!("127.0.0.1:{port}"));
        // Where the unit's StateDirectory and the installed app would be.
        let state = temp_dir(name);
        let app = state.join("app");
        std::fs::create_dir_all(&app).expect("app dir");
        std::fs::write(app.join("index.html"), "<!doctype html><title>Verval</title>").expect("index");

        // ExecStart split as systemd does: ${NAME} is one argument, whatever spaces it holds.
        let words: Vec<String> = unit_value(&unit, "ExecStart")
            .split_whitespace()
            .map(
                |word| match word.strip_prefix("${").and_then(|w| w.strip_suffix('}')) {
                    Some(name) => settings
                        .get(name)
                        .unwrap_or_else(|| panic!("deploy/verval-hub.env does not set {name}"))
                        .clone(),
                    None => word
                        .replace("/usr/local/bin/verval-hub", BINARY)
                        .replace("/usr/local/share/verval-hub/app", &app.display().to_string()),
                },
            )
            .collect();
        assert_eq!(words[0], BINARY, "the unit runs the hub");
        let mut command = Command::new(&words[0]);
        command
            .args(&words[1..])
            .current_dir(&state)
            .envs(&settings)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(password) = admin_password {
            command.env("VERVAL_HUB_ADMIN_PASSWORD", password);
        }
        let child = command.spawn().expect("the hub starts");
        UnitsHub {
            child,
            port,
            state,
            settings,
        }
    }

    async fn health(&self) -> reqwest::Response {
        let client = support::client();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match client
                .get(format!(
                    "http://127.0.0.1:{}{}",
                    self.port,
                    verval_hub::HEALTH_PATH
                ))
                .send()
                .await
            {
                Ok(response) => return response,
                Err(e) => {
                    assert!(Instant::now() < deadline, "the unit's hub did not answer: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

impl Drop for UnitsHub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.state);
    }
}

#[tokio::test]
async fn the_units_command_starts_a_hub_with_the_example_settings() {
    let hub = UnitsHub::start("state");
    let response = hub.health().await;
    assert_eq!(response.status(), 200);
    // The example public URL is HTTPS: the hub says so with HSTS even behind the proxy.
    assert!(response.headers().contains_key("strict-transport-security"));
    // The database is the settings file's, in the state directory.
    let db_file = hub.state.join(&hub.settings["VERVAL_HUB_DB"]);
    assert!(db_file.is_file());
    // The district's time zone reaches the hub from the settings file (it is stored only
    // when given).
    let db = verval_hub::db::Db::open(&db_file.display().to_string())
        .await
        .expect("the unit's database");
    assert_eq!(
        db.setting(verval_hub::time_zone::SETTING).await.expect("setting"),
        Some(hub.settings["VERVAL_TIME_ZONE"].clone())
    );
}

#[test]
fn the_example_settings_start_no_hub_until_an_admin_password_is_set() {
    let mut hub = UnitsHub::start_with("no-password", None);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = hub.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the hub started without an admin password"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut said = String::new();
    hub.child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut said)
        .expect("stderr");
    assert!(!status.success());
    assert!(said.contains("VERVAL_HUB_ADMIN_PASSWORD"), "{said}");
}

#[tokio::test]
async fn the_units_stop_signal_lets_the_request_under_way_finish() {
    let mut hub = UnitsHub::start("stop");
    hub.health().await;
    // A form half-sent, as from a phone on a slow line, when the district stops the hub to
    // upgrade it.
    let body = "password=bukan-kata-sandinya";
    let mut request = std::net::TcpStream::connect(("127.0.0.1", hub.port)).expect("connect");
    write!(
        request,
        "POST /admin/masuk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .expect("the first half");
    std::thread::sleep(Duration::from_millis(300));

    // The signal `systemctl stop` sends: the unit's KillSignal, SIGTERM unless it names one.
    let unit = std::fs::read_to_string(deploy_file("verval-hub.service")).expect("unit");
    let signal = unit
        .lines()
        .find_map(|l| l.strip_prefix("KillSignal="))
        .unwrap_or("SIGTERM");
    let sent = Command::new("kill")
        .arg(format!("-{}", signal.trim_start_matches("SIG")))
        .arg(hub.child.id().to_string())
        .status()
        .expect("kill");
    assert!(sent.success());

    // It takes no new connection...
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", hub.port)).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the stopping hub still accepts connections"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // ...but answers the one under way, then exits cleanly.
    request
        .write_all(&body.as_bytes()[10..])
        .expect("the second half");
    let mut response = String::new();
    request.read_to_string(&mut response).expect("the answer");
    assert!(
        response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.1 4"),
        "the request under way is answered: {response:.80}"
    );
    let deadline = Instant::now() + Duration::from_secs(40);
    let status = loop {
        if let Some(status) = hub.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the hub did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "the hub stops cleanly: {status}");
}

async fn signs_in(addr: std::net::SocketAddr, password: &str) -> bool {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("http://{addr}/admin/masuk"))
        .form(&[("username", "admin"), ("password", password)])
        .send()
        .await
        .expect("sign in");
    response.status() == 303 && response.headers().contains_key("set-cookie")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_admin_password_from_standard_input_replaces_the_old_and_signs_everyone_out() {
    let dir = temp_dir("password");
    let url = dir.join("hub.sqlite").display().to_string();
    let set = |input: &str| {
        let mut child = Command::new(BINARY)
            .args(["admin-password", "--db", &url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("admin-password");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes()).expect("write");
        child.wait_with_output().expect("done")
    };
    let short = set("pendek\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    assert!(set("kata-sandi-pertama\n").status.success());

    let db = verval_hub::db::Db::open(&url).await.expect("db");
    let addr = support::start_hub(db.clone(), verval_hub::Config::default()).await;
    assert!(signs_in(addr, "kata-sandi-pertama").await);
    assert_eq!(support::count(&db, "sessions").await, 1);

    // A leaked password replaced: the old one no longer opens, and its session is gone.
    assert!(set("kata-sandi-kedua-yang-baru\n").status.success());
    assert_eq!(support::count(&db, "sessions").await, 0);
    assert!(!signs_in(addr, "kata-sandi-pertama").await);
    assert!(signs_in(addr, "kata-sandi-kedua-yang-baru").await);
    // Never from the command line, where `ps` shows it to every user.
    let argument = Command::new(BINARY)
        .args(["admin-password", "--db", &url, "kata-sandi-ketiga"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!argument.status.success());
    assert!(String::from_utf8_lossy(&argument.stderr).contains("standard input"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_backup_units_commands_back_up_the_running_hub_and_keep_30_days() {
    let hub = UnitsHub::start("backup");
    hub.health().await;
    let backups = hub.state.join("backups");
    std::fs::create_dir_all(&backups).expect("backups dir");
    // A backup from 40 days ago, to be let go, and one from 20 days ago, to be kept.
    let old = backups.join("verval-20261020-0130.zip");
    let recent = backups.join("verval-20261110-0130.zip");
    for (file, age) in [(&old, "40 days ago"), (&recent, "20 days ago")] {
        std::fs::write(file, "an earlier backup").expect("write");
        let touched = Command::new("touch")
            .args(["-d", age])
            .arg(file)
            .status()
            .expect("touch");
        assert!(touched.success());
    }

    let unit = std::fs::read_to_string(deploy_file("verval-hub-backup.service")).expect("unit");
    let commands: Vec<Vec<String>> = unit
        .lines()
        .filter_map(|l| l.strip_prefix("ExecStart="))
        .map(|value| {
            exec_words(
                &value
                    .replace("/usr/local/bin/verval-hub", BINARY)
                    .replace("/var/lib/verval-hub-backup", &backups.display().to_string()),
            )
        })
        .collect();
    assert_eq!(commands.len(), 2, "a backup, then the old ones let go");
    for words in &commands {
        // As the unit runs them: the settings file's environment, in the state directory.
        support::run_ok(
            Command::new(&words[0])
                .args(&words[1..])
                .current_dir(&hub.state)
                .envs(&hub.settings),
            &format!("{words:?}"),
        );
    }

    let mut made: Vec<PathBuf> = std::fs::read_dir(&backups)
        .expect("backups")
        .map(|e| e.expect("entry").path())
        .filter(|p| p != &recent)
        .collect();
    assert!(!old.exists(), "a backup older than 30 days is let go");
    assert!(recent.exists(), "a backup of 20 days ago is kept");
    assert_eq!(made.len(), 1, "one new backup: {made:?}");
    let backup = made.pop().expect("the new backup");
    let name = backup.file_name().expect("name").to_string_lossy().into_owned();
    assert!(
        name.starts_with("verval-2")
            && name.ends_with(".zip")
            && name.len() == "verval-YYYYMMDD-HHMM.zip".len(),
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner reads a backup");
    }
    // It is a backup the hub restores.
    let restored = hub.state.join("restored.sqlite");
    let restore = Command::new(BINARY)
        .args([
            "restore",
            &backup.display().to_string(),
            "--db",
            &restored.display().to_string(),
        ])
        .output()
        .expect("restore");
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
}
