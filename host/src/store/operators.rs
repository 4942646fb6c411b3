//! Console accounts: who may log in, with which role and departments.

use sqlx::Row;

use super::{Store, now_ms};

/// An operator account as stored (the password only as its hash).
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorAccount {
    pub name: String,
    /// Argon2id, as a PHC string.
    pub password_hash: String,
    pub role: String,
    pub departments: Vec<String>,
    pub level: u8,
    pub disabled: bool,
}

impl Store {
    /// Creates or replaces an account.
    pub async fn put_operator(&self, account: &OperatorAccount) -> anyhow::Result<()> {
        let sql = self.sql(
            "INSERT INTO operators (name, password_hash, role, departments, level, disabled, created_at_ms) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, \
             role = excluded.role, departments = excluded.departments, level = excluded.level, \
             disabled = excluded.disabled",
        );
        let departments = serde_json::to_string(&account.departments)?;
        with_pool!(self, pool => {
            sqlx::query(&sql)
                .bind(&account.name)
                .bind(&account.password_hash)
                .bind(&account.role)
                .bind(&departments)
                .bind(i64::from(account.level))
                .bind(i64::from(account.disabled))
                .bind(now_ms())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The account named `name`, if any.
    pub async fn operator(&self, name: &str) -> anyhow::Result<Option<OperatorAccount>> {
        let sql =
            self.sql("SELECT name, password_hash, role, departments, level, disabled FROM operators WHERE name = ?");
        let row = with_pool!(self, pool => sqlx::query(&sql).bind(name).fetch_optional(pool).await?.map(|r| {
            (r.get::<String, _>(0), r.get::<String, _>(1), r.get::<String, _>(2), r.get::<String, _>(3),
             r.get::<i64, _>(4), r.get::<i64, _>(5))
        }));
        let Some((name, password_hash, role, departments, level, disabled)) = row else { return Ok(None) };
        Ok(Some(OperatorAccount {
            name,
            password_hash,
            role,
            departments: serde_json::from_str(&departments)?,
            level: level.clamp(1, 9) as u8,
            disabled: disabled != 0,
        }))
    }
}
