//! Rate limits on the routes a stranger can hit: opening links and asking for fresh ones.
//! In memory per instance (governor's GCRA): with N instances the ceiling is N times higher,
//! which still stops guessing and mail floods.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct RateLimits {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_address: DefaultKeyedRateLimiter<String>,
}

impl RateLimits {
    pub fn new(per_ip_per_minute: u32, per_address_per_hour: u32) -> Self {
        let ip = NonZeroU32::new(per_ip_per_minute.max(1)).expect("max(1) is non-zero");
        let addr = NonZeroU32::new(per_address_per_hour.max(1)).expect("max(1) is non-zero");
        Self {
            by_ip: RateLimiter::keyed(Quota::per_minute(ip)),
            by_address: RateLimiter::keyed(Quota::per_hour(addr)),
        }
    }

    pub fn allow_ip(&self, ip: IpAddr) -> bool {
        self.by_ip.check_key(&ip).is_ok()
    }

    pub fn allow_address(&self, address: &str) -> bool {
        self.by_address.check_key(&address.to_lowercase()).is_ok()
    }
}
