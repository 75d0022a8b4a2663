//! Points on the earth and on a map: distances (haversine, on a sphere the size of the
//! earth; metres are plenty for a village) and the Web Mercator projection that map tiles use,
//! so the hub's plot and an optional tile layer line up.

/// The earth's mean radius, for distances.
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// The sphere Web Mercator projects (WGS 84's equatorial radius), for a map's scale.
const MERCATOR_RADIUS_M: f64 = 6_378_137.0;
/// A tile's side in pixels.
pub const TILE_PX: f64 = 256.0;
/// Metres per degree of latitude.
pub const METRES_PER_DEGREE: f64 = 111_320.0;

/// The great-circle distance between two points in degrees `(lat, lon)`, in metres.
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let (dlat, dlon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A point `(lat, lon)` in Web Mercator pixels of the whole world at `zoom`: x east, y south.
pub fn world_px(point: (f64, f64), zoom: u8) -> (f64, f64) {
    let size = TILE_PX * f64::from(1u32 << zoom.min(30));
    let lat = point.0.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (point.1 + 180.0) / 360.0 * size;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// Metres per pixel at `zoom` and latitude `lat` (degrees).
pub fn metres_per_px(lat: f64, zoom: u8) -> f64 {
    2.0 * std::f64::consts::PI * MERCATOR_RADIUS_M * lat.to_radians().cos()
        / (TILE_PX * f64::from(1u32 << zoom.min(30)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_metres_on_the_ground() {
        // One degree of latitude is about 111.2 km; a thousandth of a degree of longitude near
        // the equator (Probolinggo, -7.75) about 110 m.
        assert!((distance_m((0.0, 0.0), (1.0, 0.0)) - 111_195.0).abs() < 10.0);
        let d = distance_m((-7.75, 113.2), (-7.75, 113.201));
        assert!((d - 110.3).abs() < 0.5, "{d}");
        assert_eq!(distance_m((-7.75, 113.2), (-7.75, 113.2)), 0.0);
    }

    #[test]
    fn the_projection_is_the_tiles_one() {
        // At zoom 0 the world is one tile: (0, 0) in its middle; Jakarta's tile at zoom 10 is
        // x 815, y 529 (as any slippy-map calculator gives it).
        assert_eq!(world_px((0.0, 0.0), 0), (128.0, 128.0));
        let (x, y) = world_px((-6.2, 106.8), 10);
        assert_eq!(((x / TILE_PX) as u32, (y / TILE_PX) as u32), (815, 529));
        assert!((metres_per_px(0.0, 0) - 156_543.03).abs() < 0.1);
    }
}
