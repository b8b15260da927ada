//! What every API version's index has, read from the fields of the version that sent it:
//! [`Index`](crate::Index)'s derived values, and [`IndexList`].

use serde_json::Value;

use crate::models::Index;
use crate::{Int, RawJson};

/// What `list_indexes` answers (`IndexList`): every index of the project, in one answer.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct IndexList {
    pub indexes: Vec<Index>,
}

fn tree(raw: &crate::Field<RawJson>) -> Option<Value> {
    raw.get().and_then(|raw| raw.value().ok())
}

/// The value at `path` in the index's unknown fields or in one of its object fields.
fn extra(index: &Index, key: &str) -> Option<Value> {
    let extra = index.extra.as_ref()?;
    let (_, raw) = extra.iter().find(|(name, _)| name == key)?;
    raw.value().ok()
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

pub(crate) fn ready(index: &Index) -> Option<bool> {
    tree(&index.status)?.get("ready")?.as_bool()
}

pub(crate) fn state(index: &Index) -> Option<String> {
    text(tree(&index.status)?.get("state"))
}

/// `(cloud, region)`: 2026-07's `deployment`, 2025-10's `spec.serverless` or `spec.byoc`, or
/// a pod `environment` (`us-east-1-aws`: region `us-east-1`, cloud `aws`).
fn location(index: &Index) -> (Option<String>, Option<String>) {
    if let Some(deployment) = tree(&index.deployment) {
        let cloud = text(deployment.get("cloud"));
        let region = text(deployment.get("region"));
        if cloud.is_some() || region.is_some() {
            return (cloud, region);
        }
        if let Some(environment) = deployment.get("environment").and_then(Value::as_str) {
            return environment_location(environment);
        }
    }
    let Some(spec) = tree(&index.spec) else {
        return (None, None);
    };
    for kind in ["serverless", "byoc"] {
        if let Some(inner) = spec.get(kind) {
            let (cloud, region) = (text(inner.get("cloud")), text(inner.get("region")));
            if cloud.is_some() || region.is_some() {
                return (cloud, region);
            }
            if let Some(environment) = inner.get("environment").and_then(Value::as_str) {
                return environment_location(environment);
            }
        }
    }
    match spec.pointer("/pod/environment").and_then(Value::as_str) {
        Some(environment) => environment_location(environment),
        None => (None, None),
    }
}

fn environment_location(environment: &str) -> (Option<String>, Option<String>) {
    for cloud in ["aws", "gcp", "azure"] {
        if let Some(region) = environment.strip_suffix(&format!("-{cloud}")) {
            return (Some(cloud.to_owned()), Some(region.to_owned()));
        }
    }
    (None, None)
}

pub(crate) fn cloud(index: &Index) -> Option<String> {
    location(index).0
}

pub(crate) fn region(index: &Index) -> Option<String> {
    location(index).1
}

/// The dense vector field of a 2026-07 schema (`{"type": "dense_vector", "dimension": ...}`).
fn dense_vector(index: &Index) -> Option<Value> {
    let schema = tree(&index.schema)?;
    let fields = schema.get("fields")?.as_object()?;
    fields
        .values()
        .find(|field| field.get("type").and_then(Value::as_str) == Some("dense_vector"))
        .cloned()
}

pub(crate) fn dimension(index: &Index) -> Option<Int> {
    let value =
        extra(index, "dimension").or_else(|| dense_vector(index)?.get("dimension").cloned())?;
    Int::parse(&value.to_string())
}

pub(crate) fn metric(index: &Index) -> Option<String> {
    text(extra(index, "metric").as_ref()).or_else(|| text(dense_vector(index)?.get("metric")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(json: &str) -> Index {
        Index::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn the_2025_10_shape() {
        let serverless = index(
            r#"{"name":"a","dimension":1536,"metric":"cosine","host":"a-1.svc","vector_type":"dense",
                "spec":{"serverless":{"cloud":"aws","region":"us-east-1"}},
                "status":{"ready":true,"state":"Ready"},"deletion_protection":"disabled"}"#,
        );
        assert_eq!(serverless.ready(), Some(true));
        assert_eq!(serverless.state().as_deref(), Some("Ready"));
        assert_eq!(serverless.cloud().as_deref(), Some("aws"));
        assert_eq!(serverless.region().as_deref(), Some("us-east-1"));
        assert_eq!(serverless.dimension(), Some(Int::Small(1536)));
        assert_eq!(serverless.metric().as_deref(), Some("cosine"));
        let pod = index(
            r#"{"name":"p","metric":"dotproduct","host":"h","spec":{"pod":{"environment":"us-west1-gcp"}},
                "status":{"ready":false,"state":"Initializing"}}"#,
        );
        assert_eq!(pod.ready(), Some(false));
        assert_eq!(
            (pod.cloud().as_deref(), pod.region().as_deref()),
            (Some("gcp"), Some("us-west1"))
        );
        assert_eq!(pod.dimension(), None);
        // Exactly what was sent comes back.
        let sent = r#"{"name":"a","x":{"y":[1,2.50]},"status":{"ready":true,"state":"Ready"}}"#;
        assert_eq!(
            serde_json::to_string(&index(sent)).unwrap(),
            r#"{"name":"a","status":{"ready":true,"state":"Ready"},"x":{"y":[1,2.50]}}"#
        );
    }

    #[test]
    fn the_2026_07_shape() {
        let managed = index(
            r#"{"name":"m","host":"m.svc","deletion_protection":"enabled",
                "deployment":{"deployment_type":"managed","cloud":"gcp","region":"europe-west4"},
                "schema":{"fields":{"title":{"type":"string"},"embedding":{"type":"dense_vector","dimension":384,"metric":"euclidean"}}},
                "status":{"ready":true,"state":"Ready"}}"#,
        );
        assert_eq!(managed.cloud().as_deref(), Some("gcp"));
        assert_eq!(managed.region().as_deref(), Some("europe-west4"));
        assert_eq!(managed.dimension(), Some(Int::Small(384)));
        assert_eq!(managed.metric().as_deref(), Some("euclidean"));
        // Nothing to read: None, never an error.
        let bare = index(r#"{"name":"b","status":"weird","schema":[1]}"#);
        assert_eq!(
            (bare.ready(), bare.state(), bare.cloud()),
            (None, None, None)
        );
        assert_eq!((bare.dimension(), bare.metric()), (None, None));
        let list: IndexList =
            crate::page::decode(br#"{"indexes":[{"name":"a"},{"name":"b"}]}"#).unwrap();
        assert_eq!(list.indexes.len(), 2);
    }
}
