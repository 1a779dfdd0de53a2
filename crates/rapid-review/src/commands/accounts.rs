//! Users and API tokens from the command line: adding, listing, disabling and enabling
//! users, password links and passwords, two-factor set-up; issuing, listing and
//! revoking tokens. Every change is audited.

use std::io::BufRead;

use anyhow::Context;
use store::{NewPassword, NewUser, Store, User, token_label};

use super::admin::{bad, cli_audit, stored};
use super::open;
use crate::Failure;
use crate::cli::{Tokens, UserEmail, Users};
use crate::config::Config;

fn read_password() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn user(store: &Store, email: &str) -> Result<User, Failure> {
    store
        .user_by_email(email)
        .await?
        .ok_or_else(|| Failure::Other(anyhow::anyhow!("email: no user with email {}", email.trim())))
}

/// Where the service is reached, for the links printed here.
fn public_url(settings: &Config) -> String {
    settings
        .public_url
        .as_deref()
        .unwrap_or("http://127.0.0.1:8080")
        .trim_end_matches('/')
        .to_owned()
}

pub async fn users(cmd: Users, settings: &Config) -> Result<(), Failure> {
    match cmd {
        Users::Add {
            email,
            name,
            role,
            partner,
            agency,
            password_stdin,
            database,
        } => {
            let password = if password_stdin { Some(read_password()?) } else { None };
            let new =
                NewUser::new(&email, &name, &role, partner.as_deref(), agency.as_deref(), password).map_err(bad)?;
            let store = open(&database).await?;
            let user = store
                .add_user_at_command_line(&new, &cli_audit("user_added", None))
                .await
                .map_err(stored)?;
            println!("added {} ({}) as {}", user.email, user.name, user.role.as_str());
        }
        Users::List { database } => {
            let store = open(&database).await?;
            for u in store.list_users().await? {
                let status = if u.disabled { "disabled" } else { "active" };
                let two_factor = if u.two_factor {
                    "two-factor on"
                } else {
                    "two-factor off"
                };
                println!("{}\t{}\t{}\t{status}\t{two_factor}", u.email, u.name, u.role.as_str());
            }
        }
        Users::Disable(UserEmail { email, database }) => set_disabled(&email, &database, true).await?,
        Users::Enable(UserEmail { email, database }) => set_disabled(&email, &database, false).await?,
        Users::ResetPassword(UserEmail { email, database }) => {
            let store = open(&database).await?;
            let user = user(&store, &email).await?;
            let entry = cli_audit("password_reset_link_made", Some(&user.email));
            let token = store.create_reset_token(user.id, &entry).await?;
            println!("a password link for {}; it works once, for 24 hours:", user.email);
            println!("{}/reset-password/{token}", public_url(settings));
        }
        Users::SetPassword(UserEmail { email, database }) => {
            let password = read_password()?;
            let store = open(&database).await?;
            let user = user(&store, &email).await?;
            let new = NewPassword::new("password", &password, &[&user.email, &user.name]).map_err(bad)?;
            store
                .set_password(user.id, &new, &cli_audit("password_set", Some(&user.email)))
                .await?;
            println!("set the password of {}; their sessions have ended", user.email);
        }
        Users::Totp(UserEmail { email, database }) => {
            let store = open(&database).await?;
            let user = user(&store, &email).await?;
            let (key, codes) = store
                .set_up_totp(&user, &cli_audit("two_factor_set_up", Some(&user.email)))
                .await?;
            println!(
                "two-factor sign-in is set up for {}. Recovery codes (shown once):",
                user.email
            );
            for code in codes {
                println!("  {code}");
            }
            println!("{}", key.uri);
        }
    }
    Ok(())
}

async fn set_disabled(email: &str, database: &crate::cli::Database, disabled: bool) -> Result<(), Failure> {
    let store = open(database).await?;
    let user = user(&store, email).await?;
    let action = if disabled { "user_disabled" } else { "user_enabled" };
    store
        .set_disabled_at_command_line(user.id, disabled, &cli_audit(action, Some(&user.email)))
        .await?;
    if disabled {
        println!("disabled {}; every session and token of theirs has ended", user.email);
    } else {
        println!("enabled {}", user.email);
    }
    Ok(())
}

pub async fn tokens(cmd: Tokens) -> Result<(), Failure> {
    match cmd {
        Tokens::Issue {
            email,
            label,
            expires_in_days,
            database,
        } => {
            let label = token_label(&label).map_err(bad)?;
            let store = open(&database).await?;
            let issued = store
                .issue_token(&email, &label, expires_in_days, &cli_audit("token_issued", None))
                .await
                .map_err(stored)?;
            println!(
                "token {} for {} ({}), expires {}; it is shown once:",
                issued.id,
                issued.user.email,
                issued.user.role.as_str(),
                issued.expires_at.format("%Y-%m-%d")
            );
            println!("{}", issued.token);
        }
        Tokens::List { email, database } => {
            let store = open(&database).await?;
            let now = crate::now();
            for t in store.list_tokens(email.as_deref()).await? {
                let status = if t.revoked {
                    "revoked"
                } else if t.live(now) {
                    "active"
                } else {
                    "expired"
                };
                let expires = t
                    .expires_at
                    .map_or_else(|| "never".into(), |e| e.format("%Y-%m-%d").to_string());
                println!(
                    "{}\t{}\t{}\t{}\t{expires}\t{status}",
                    t.id,
                    t.email,
                    t.label,
                    t.created_at.format("%Y-%m-%d")
                );
            }
        }
        Tokens::Revoke { id, database } => {
            let store = open(&database).await?;
            if store.revoke_token(id, &cli_audit("token_revoked", None)).await? {
                println!("revoked token {id}");
            } else {
                return Err(Failure::Other(anyhow::anyhow!("id: no live token {id}")));
            }
        }
    }
    Ok(())
}
