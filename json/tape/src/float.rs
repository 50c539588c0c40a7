//! The `f64` roundings std provides and `core` lacks (std's call the platform's libm), for
//! the `no_std` build. Exact for every `f64`: from 2^52 up a float has no fraction.

/// Floats at or above this have no fraction.
const NO_FRACTION: f64 = 4_503_599_627_370_496.0; // 2^52

/// `f64::trunc`, except that the sign of a zero result is not kept.
pub fn trunc(x: f64) -> f64 {
    if x.abs() < NO_FRACTION {
        (x as i64) as f64
    } else {
        x // large, infinite or NaN
    }
}

/// `f64::floor`, except that the sign of a zero result is not kept.
pub fn floor(x: f64) -> f64 {
    let whole = trunc(x);
    if whole > x {
        whole - 1.0
    } else {
        whole
    }
}

/// `f64::round`: halves away from zero.
pub fn round(x: f64) -> f64 {
    let whole = trunc(x);
    let fraction = x - whole; // exact below 2^52
    if fraction >= 0.5 {
        whole + 1.0
    } else if fraction <= -0.5 {
        whole - 1.0
    } else {
        whole
    }
}

/// A finite float without fraction.
pub fn is_whole(x: f64) -> bool {
    x.is_finite() && trunc(x) == x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_std() {
        let samples = [
            0.0, 0.4, 0.5, 0.6, 1.0, 1.5, 2.5, -0.4, -0.5, -0.6, -1.5, -2.5, 0.49999999999999994, 123.456, -123.456,
            4_503_599_627_370_495.5, 4_503_599_627_370_497.0, 1e300, -1e300, 1e-300, f64::MAX, f64::MIN,
        ];
        for x in samples {
            assert_eq!(trunc(x), x.trunc(), "trunc {x}");
            assert_eq!(floor(x), x.floor(), "floor {x}");
            assert_eq!(round(x), x.round(), "round {x}");
            assert_eq!(is_whole(x), x.fract() == 0.0, "is_whole {x}");
        }
        for x in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            assert!(!is_whole(x));
            assert_eq!(round(x).to_bits(), x.round().to_bits());
        }
    }
}
