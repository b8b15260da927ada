//! When to retry a failed attempt, and after how long.

use std::time::Duration;

use crate::config::RetryPolicy;
use crate::error::Error;
use crate::wire::Repeat;

/// How long to wait before retrying after `error` (the `attempt`-th failure), or `None` when it
/// is not worth retrying.
pub(crate) fn retry_delay(
    policy: &RetryPolicy,
    repeat: Repeat,
    error: &Error,
    attempt: u32,
) -> Option<Duration> {
    let retry_after = match error {
        Error::Api(api) => api.header("retry-after").and_then(parse_retry_after),
        _ => None,
    };
    let idempotent = repeat == Repeat::Safe;
    let retryable = match error {
        Error::Api(api) => {
            policy.statuses.contains(&api.status)
                // A request that creates something: only when the server said it did nothing.
                && (idempotent || api.status == 429)
        }
        Error::Connection(transport) | Error::Timeout(transport) => {
            !transport.permanent && (idempotent || transport.before_sending)
        }
        Error::Decode(decode) => idempotent && decode.incomplete,
        Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => false,
    };
    if !retryable {
        return None;
    }
    Some(match retry_after {
        Some(after) => after.min(policy.retry_after_cap),
        None => {
            let doubling = 1u32 << attempt.saturating_sub(1).min(30);
            let ceiling = policy
                .backoff_base
                .saturating_mul(doubling)
                .min(policy.backoff_cap);
            ceiling.mul_f64(random_unit())
        }
    })
}

/// `Retry-After`: a number of seconds, or an HTTP date in any of the three forms RFC 9110 says
/// recipients must accept (IMF-fixdate, RFC 850, asctime).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    // A date in the past means "now".
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A uniformly random number in [0, 1) from a per-thread xorshift generator: jitter needs no
/// more.
fn random_unit() -> f64 {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(u64::from(std::process::id()));
            hasher.finish() | 1
        });
    }
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, ConfigError, DecodeError, TransportError};

    fn api(status: u16, retry_after: Option<&str>) -> Error {
        ApiError {
            status,
            code: None,
            message: String::new(),
            details: None,
            request_id: None,
            body: String::new(),
            headers: retry_after
                .map(|v| vec![("retry-after".to_owned(), v.to_owned())])
                .unwrap_or_default(),
            attempts: 1,
            maybe_processed: false,
        }
        .into()
    }

    fn transport(before_sending: bool) -> Error {
        Error::Connection(TransportError::new("x", before_sending))
    }

    #[test]
    fn what_is_retried() {
        let policy = RetryPolicy::default();
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                retry_delay(&policy, Repeat::Safe, &api(status, None), 1).is_some(),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 409, 422, 501] {
            assert!(
                retry_delay(&policy, Repeat::Safe, &api(status, None), 1).is_none(),
                "{status}"
            );
        }
        // Not idempotent: only when surely not processed, or told when to come back.
        assert!(retry_delay(&policy, Repeat::IfUnsent, &api(503, None), 1).is_none());
        assert!(retry_delay(&policy, Repeat::IfUnsent, &api(500, Some("1")), 1).is_none());
        // Never after a 5xx, even with Retry-After: the request may have been processed.
        assert!(retry_delay(&policy, Repeat::IfUnsent, &api(503, Some("1")), 1).is_none());
        assert!(retry_delay(&policy, Repeat::IfUnsent, &api(429, Some("1")), 1).is_some());
        assert!(retry_delay(&policy, Repeat::IfUnsent, &api(429, None), 1).is_some());
        assert!(retry_delay(&policy, Repeat::IfUnsent, &transport(true), 1).is_some());
        assert!(retry_delay(&policy, Repeat::IfUnsent, &transport(false), 1).is_none());
        assert!(retry_delay(&policy, Repeat::Safe, &transport(false), 1).is_some());
        let incomplete = |incomplete| {
            Error::from(DecodeError {
                status: 200,
                incomplete,
                attempts: 1,
                ..DecodeError::default()
            })
        };
        assert!(retry_delay(&policy, Repeat::Safe, &incomplete(true), 1).is_some());
        assert!(retry_delay(&policy, Repeat::Safe, &incomplete(false), 1).is_none());
        assert!(retry_delay(&policy, Repeat::Safe, &ConfigError::error("host", "x"), 1).is_none());
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_ceiling() {
        let policy = RetryPolicy {
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(700),
            ..RetryPolicy::default()
        };
        for (attempt, ceiling) in [(1, 100), (2, 200), (3, 400), (4, 700), (40, 700)] {
            let delays: Vec<Duration> = (0..200)
                .map(|_| retry_delay(&policy, Repeat::Safe, &api(503, None), attempt).unwrap())
                .collect();
            let ceiling = Duration::from_millis(ceiling);
            assert!(delays.iter().all(|d| *d <= ceiling), "attempt {attempt}");
            assert!(
                delays.iter().any(|d| *d < ceiling / 4),
                "jitter reaches low values"
            );
            assert!(delays.iter().any(|d| *d > ceiling * 3 / 4), "and high ones");
        }
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let in_a_minute = std::time::SystemTime::now() + Duration::from_secs(61);
        let date = http_date(in_a_minute);
        let parsed = parse_retry_after(&date).unwrap();
        assert!(
            (Duration::from_secs(55)..=Duration::from_secs(61)).contains(&parsed),
            "{date}"
        );
        // RFC 9110: the obsolete RFC 850 and asctime forms must be accepted too.
        for obsolete in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(
                parse_retry_after(obsolete),
                Some(Duration::ZERO),
                "{obsolete}"
            );
        }
        let future = httpdate::fmt_http_date(in_a_minute);
        let asctime = {
            // `Sun, 06 Nov 2094 08:49:37 GMT` -> `Sun Nov  6 08:49:37 2094`
            let parts: Vec<&str> = future.split(' ').collect();
            let day: u32 = parts[1].parse().unwrap();
            format!(
                "{} {} {day:>2} {} {}",
                &parts[0][..3],
                parts[2],
                parts[4],
                parts[3]
            )
        };
        let parsed = parse_retry_after(&asctime).unwrap();
        assert!(parsed >= Duration::from_secs(55), "{asctime}");
        for bad in ["soon", "-1", "1.5", "Sun, 06 Nov 1994 08:49:37 PST", ""] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
        let policy = RetryPolicy::default();
        let capped = retry_delay(&policy, Repeat::Safe, &api(503, Some("3600")), 1).unwrap();
        assert_eq!(capped, policy.retry_after_cap);
    }

    /// An IMF-fixdate, for the test above.
    fn http_date(at: std::time::SystemTime) -> String {
        httpdate::fmt_http_date(at)
    }
}
