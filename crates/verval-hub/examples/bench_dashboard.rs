//! The progress dashboard's benchmark (BENCHMARKS.md, issue #21): the district's home page
//! for the whole regency — 24 kecamatan, 330 villages, 60 phones, 20,000 households (the
//! tests' generated district) — asked over HTTP by a signed-in operator, and its workbook,
//! on SQLite and (when VERVAL_TEST_POSTGRES_URL is set, as scripts/with-postgres does)
//! PostgreSQL. Budget: 500 ms for the page. Reports the median and the worst of the runs;
//! exits non-zero over budget.
//!
//!   bench/hub/run            (builds with `--profile hub`, starts a throwaway PostgreSQL)

// The tests' support: the generated district, a hub on 127.0.0.1, a signed-in browser.
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;
use support::district;
use verval_hub::db::Db;
use verval_hub::Config;

const RUNS: usize = 15;
const BUDGET_MS: f64 = 500.0;
const PASSWORD: &str = "sandi-bench-kemajuan";

async fn database(url_of: &str) -> String {
    if let Some(base) = url_of.strip_prefix("postgres:") {
        let name = format!("verval_bench_dashboard_{}", std::process::id());
        verval_hub::db::create_postgres_database(base, &name)
            .await
            .expect("create")
    } else {
        let dir = std::env::temp_dir().join(format!("verval-bench-dashboard-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        format!("sqlite://{}", dir.join("hub.sqlite").display())
    }
}

/// Milliseconds of each run of `path`, sorted.
async fn timed(web: &reqwest::Client, url: &str) -> Vec<f64> {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let answer = web.get(url).send().await.expect("get");
        assert_eq!(answer.status(), 200, "{url}");
        let body = answer.bytes().await.expect("body");
        assert!(!body.is_empty());
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times
}

/// Returns whether the page kept its budget.
async fn measure(label: &str, url_of: &str) -> bool {
    let db = Db::open(&database(url_of).await).await.expect("db");
    let generated = Instant::now();
    district::store(&db, &district::generate(verval_hub::db::now_ms())).await;
    println!(
        "{label}: district stored in {:.1} s",
        generated.elapsed().as_secs_f64()
    );
    support::staff_account(&db, "korkab", "operator", "", PASSWORD).await;
    let addr = support::start_hub(db, Config::default()).await;
    let base = format!("http://{addr}");
    let (web, _) = support::signed_in(&base, "korkab", PASSWORD).await;
    let page = timed(&web, &format!("{base}/admin")).await;
    let workbook = timed(&web, &format!("{base}/admin/kemajuan.xlsx")).await;
    let report = |what: &str, t: &[f64]| {
        println!(
            "{label} {what}: median {:.1} ms, min {:.1}, max {:.1} ({RUNS} runs)",
            t[RUNS / 2],
            t[0],
            t[RUNS - 1]
        )
    };
    report("dashboard page", &page);
    report("progress workbook", &workbook);
    let kept = page[RUNS / 2] <= BUDGET_MS;
    if !kept {
        println!("{label}: the page's median is over the {BUDGET_MS} ms budget");
    }
    kept
}

#[tokio::main]
async fn main() {
    let mut kept = measure("SQLite", "sqlite").await;
    match std::env::var("VERVAL_TEST_POSTGRES_URL") {
        Ok(url) => kept &= measure("PostgreSQL", &format!("postgres:{url}")).await,
        Err(_) => println!("PostgreSQL: skipped (run through scripts/with-postgres)"),
    }
    if !kept {
        std::process::exit(1);
    }
}
