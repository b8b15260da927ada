//! The project of the network benchmark's policy workload (`bench-net-server --indexes N
//! --index-backups M`): N indexes, `bench-prj-000`..., each with M backups of its own, served as
//! a project is: `GET /indexes` (the list, in the shape of the request's API version),
//! `GET /indexes/{name}/backups` (each index's backups), `GET /backups` (the project's backups,
//! every index's in turn) and `GET /restore-jobs` (none). Included by `bench-net-server` with
//! `#[path = "../project.rs"] mod project;` (after `catalog`).
//!
//! The backups' times are relative to the server's start, so that a policy planned against them
//! sees the same ages in every run: index `i`'s newest backup is `i % 48` hours (and `i` minutes)
//! old, then one a day before it; so about half of the indexes are due a backup under
//! `backup_every = "24h"`, and retention has 50 days of dailies to thin out.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::catalog::{Catalog, Lcg};

pub struct Project {
    pub indexes: HashMap<String, Catalog>,
    /// Every backup of the project, index after index (`GET /backups`).
    pub all: Catalog,
    /// The answer of `GET /indexes` as API 2025-10 writes it (and 2026-04).
    pub list_2025_10: String,
    /// The same indexes as API 2026-07 writes them.
    pub list_2026_07: String,
}

/// `2026-12-06T12:00:00.123456Z` for a time in microseconds since the epoch.
fn rfc3339(micros: i64) -> String {
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // civil_from_days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{fraction:06}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

impl Project {
    pub fn new(count: usize, per_index: usize) -> Project {
        let now = i64::try_from(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("after 1970")
                .as_micros(),
        )
        .expect("a time in range");
        let mut rng = Lcg(20_261_206);
        let mut indexes = HashMap::new();
        let mut everything = Vec::with_capacity(count * per_index);
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for i in 0..count {
            let name = format!("bench-prj-{i:03}");
            let index_id = rng.uuid();
            let host = format!(
                "{name}-{:07x}.svc.us-east-1-aws.pinecone.io",
                rng.next() % (1 << 28)
            );
            let newest = now - (i as i64 % 48) * 3_600_000_000 - (i as i64) * 60_000_000;
            let backups: Vec<serde_json::Value> = (0..per_index)
                .map(|j| {
                    let created = newest - (j as i64) * 86_400_000_000 - (rng.next() % 600) as i64;
                    serde_json::json!({
                        "backup_id": rng.uuid(),
                        "source_index_name": name,
                        "source_index_id": index_id,
                        "status": if (i * per_index + j) % 23 == 11 { "Pending" } else { "Ready" },
                        "cloud": "aws",
                        "region": "us-east-1",
                        "name": format!("{name}-nightly-{:03}", per_index - j),
                        "description": "Nightly backup",
                        "dimension": 1536,
                        "metric": "cosine",
                        "schema": {"fields": {"genre": {"filterable": true}, "year": {"filterable": true}}},
                        "record_count": 100_000 + (rng.next() % 900_000),
                        "namespace_count": 1 + rng.next() % 8,
                        "size_bytes": 50_000_000 + rng.next() % 950_000_000,
                        "tags": {"environment": "production", "team": "search"},
                        "created_at": rfc3339(created),
                    })
                })
                .collect();
            everything.extend(backups.iter().cloned());
            indexes.insert(name.clone(), Catalog::from_values(&name, &backups));
            old.push(serde_json::json!({
                "name": name,
                "dimension": 1536,
                "metric": "cosine",
                "host": host,
                "deletion_protection": "disabled",
                "spec": {"serverless": {"cloud": "aws", "region": "us-east-1",
                         "read_capacity": {"mode": "OnDemand", "status": {"state": "Ready"}}}},
                "status": {"ready": true, "state": "Ready"},
                "vector_type": "dense",
            }));
            new.push(serde_json::json!({
                "name": name,
                "host": host,
                "status": {"ready": true, "state": "Ready"},
                "deployment": {"deployment_type": "managed", "cloud": "aws", "region": "us-east-1"},
                "read_capacity": {"mode": "OnDemand", "status": {"state": "Ready"}},
                "schema": {"fields": {"embedding": {"type": "dense_vector", "dimension": 1536,
                                                    "metric": "cosine"}}},
                "tags": null,
                "deletion_protection": "disabled",
            }));
        }
        Project {
            indexes,
            all: Catalog::from_values("", &everything),
            list_2025_10: serde_json::json!({ "indexes": old }).to_string(),
            list_2026_07: serde_json::json!({ "indexes": new }).to_string(),
        }
    }

    /// Builds every page of page size `size` of every index, and of the project's walk.
    pub fn warm(&self, size: usize) {
        for catalog in self.indexes.values().chain([&self.all]) {
            for shape in [crate::catalog::Shape::Untyped, crate::catalog::Shape::Typed] {
                let mut offset = 0;
                while offset < catalog.backups.len() {
                    catalog.page(shape, offset, size);
                    offset += size;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            super::rfc3339(951_782_400_000_001),
            "2000-02-29T00:00:00.000001Z"
        );
        assert_eq!(
            super::rfc3339(1_796_558_400_500_000),
            "2026-12-06T12:00:00.500000Z"
        );
    }
}
