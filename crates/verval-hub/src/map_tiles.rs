//! A tile server for the map of visits (issue #21), when the district has one: a URL with
//! `{z}`, `{x}` and `{y}` (`https://tiles.example.go.id/{z}/{x}/{y}.png`). Without it the map
//! draws its points on a plain background; with it, the district pages' content security
//! policy lets images come from that origin and nowhere else new.

/// A tile URL template and its origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapTiles {
    template: String,
    origin: String,
}

impl MapTiles {
    /// An `http://` or `https://` URL naming `{z}`, `{x}` and `{y}`, with nothing in it that
    /// could leave an HTML attribute or a header.
    pub fn parse(url: &str) -> Result<MapTiles, String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("--map-tiles {url:?} must start with https:// or http://"))?;
        if let Some(bad) = url
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | ';' | '\\'))
        {
            return Err(format!("--map-tiles {url:?} holds {bad:?}"));
        }
        for part in ["{z}", "{x}", "{y}"] {
            if !url.contains(part) {
                return Err(format!("--map-tiles {url:?} needs {part}"));
            }
        }
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || host.contains(['{', '}', '@']) {
            return Err(format!("--map-tiles {url:?} needs a plain host name"));
        }
        let scheme = &url[..url.len() - rest.len()];
        Ok(MapTiles {
            template: url.to_owned(),
            origin: format!("{scheme}{host}"),
        })
    }

    /// The tile at zoom `z`, column `x`, row `y` (wrapped around the world east and west).
    pub fn url(&self, z: u8, x: i64, y: i64) -> String {
        let n = 1i64 << z.min(30);
        self.template
            .replace("{z}", &z.to_string())
            .replace("{x}", &x.rem_euclid(n).to_string())
            .replace("{y}", &y.clamp(0, n - 1).to_string())
    }

    /// `https://tiles.example.go.id`: what the pages' policy lets images come from.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_url_names_its_place_and_nothing_else() {
        let tiles = MapTiles::parse("https://peta.kab.go.id:8443/osm/{z}/{x}/{y}.png").expect("tiles");
        assert_eq!(tiles.origin(), "https://peta.kab.go.id:8443");
        assert_eq!(tiles.url(3, 9, 2), "https://peta.kab.go.id:8443/osm/3/1/2.png");
        assert_eq!(tiles.url(3, -1, 9), "https://peta.kab.go.id:8443/osm/3/7/7.png");
        for bad in [
            "ftp://x/{z}/{x}/{y}",
            "https://x/{z}/{x}.png",
            "https://x/{z}/{x}/{y}.png; script-src *",
            "https://x/{z}/{x}/{y}\".png",
            "https:///{z}/{x}/{y}",
            "https://{z}.x/{x}/{y}",
        ] {
            assert!(MapTiles::parse(bad).is_err(), "{bad}");
        }
    }
}
