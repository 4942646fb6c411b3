//! Each department plugin end to end: the real runtime, the plugin's wasm
//! component and its simulated backend reached over allow-listed HTTP.

mod agriculture;
mod anna_canteens;
mod apsrtc;
mod civil_supplies;
mod cm_relief_fund;
mod endowments;
mod energy;
mod municipal;
mod revenue;

/// Today in India plus `days`, as `YYYY-MM-DD`, on Mitra's one clock (the
/// day `MITRA_TODAY` pins for the host, the plugins and the simulators).
fn ist_date(days: i64) -> String {
    use mitra_backends::seed::calendar;
    calendar::iso(calendar::today() + days)
}
