//! `verval-hub user …` and `admin-password`: staff accounts from the server's command line
//! (the first admin, a locked-out admin), audited as `cli`.

use super::{open, Args, USAGE};
use crate::audit::Actor;
use crate::staff::{self, NewAccount};

pub async fn run(sub: &str, args: Args) -> Result<bool, String> {
    let db = open(&args).await?;
    let by = Actor::cli();
    let name = || {
        args.rest
            .first()
            .map(String::as_str)
            .ok_or_else(|| format!("user {sub} needs a username"))
    };
    match sub {
        "add" => {
            args.only(&["db", "username", "name", "role", "wilayah"])?;
            let new = NewAccount {
                username: args.required("username")?,
                name: args.flag("name").unwrap_or(args.required("username")?),
                role: args.required("role")?,
                wilayah: args.flag("wilayah").unwrap_or(""),
            };
            let (account, one_time) = staff::add(&db, &new, None, &by)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}\t{}\t{}\tkata sandi sekali pakai (one-time password): {}",
                account.username,
                account.role.code(),
                account.scope.to_text(),
                one_time.unwrap_or_default()
            );
        }
        "list" => {
            args.only(&["db"])?;
            for a in staff::list(&db).await.map_err(|e| e.to_string())? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    a.username,
                    a.name,
                    a.role.code(),
                    if a.scope.is_everywhere() {
                        "*".to_owned()
                    } else {
                        a.scope.to_text()
                    },
                    if a.disabled { "disabled" } else { "active" }
                );
            }
        }
        "disable" | "enable" => {
            args.only(&["db"])?;
            staff::set_disabled(&db, name()?, sub == "disable", &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}: {sub}d", name()?);
        }
        "reset" => {
            args.only(&["db"])?;
            let password = staff::reset(&db, name()?, &by).await.map_err(|e| e.to_string())?;
            println!(
                "{}\tkata sandi sekali pakai (one-time password): {password}",
                name()?
            );
        }
        other => return Err(format!("unknown user command {other:?}\n\n{USAGE}")),
    }
    Ok(true)
}

/// A new password for an account (default `admin`), read from standard input (never an
/// argument: those are seen by every user of the machine in `ps` and kept in shell
/// history); the account's browsers are signed out.
pub async fn set_password(args: Args) -> Result<bool, String> {
    args.only(&["db", "user"])?;
    if !args.rest.is_empty() {
        return Err(
            "admin-password reads the password from standard input, not from the command line".into(),
        );
    }
    let username = args.flag("user").unwrap_or(staff::FIRST_ADMIN).to_owned();
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("Kata sandi baru untuk {username} (new password), lalu Enter:");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.chars().count() < staff::MIN_PASSWORD_CHARS {
        return Err("the admin password must have at least 10 characters".into());
    }
    let db = open(&args).await?;
    if !staff::any(&db).await.map_err(|e| e.to_string())? && username == staff::FIRST_ADMIN {
        // A hub set up before its first start: this makes the first admin.
        let first = NewAccount {
            username: staff::FIRST_ADMIN,
            name: "Admin",
            role: "admin",
            wilayah: "",
        };
        staff::add(&db, &first, Some(password), &Actor::cli())
            .await
            .map_err(|e| e.to_string())?;
        println!("Akun {username} dibuat. (account made)");
        return Ok(true);
    }
    staff::change_password(&db, &username, password, None, &Actor::cli())
        .await
        .map_err(|e| e.to_string())?;
    println!("Kata sandi {username} diganti; sesinya keluar. (password replaced; its sessions signed out)");
    Ok(true)
}
