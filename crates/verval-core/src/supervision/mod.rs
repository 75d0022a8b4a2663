//! Proof of visit (issue #21): what a household's record shows of the visit itself — where
//! the house is and how precisely, whether its front was photographed, how long the form was
//! open — and the flags a district raises on it, alone or beside the other visits of its
//! village, kecamatan and phone. The hub stores each household's [`evidence::Evidence`] when
//! it arrives and raises [`flags`] over a region; [`geo`] is the arithmetic of points on a
//! map; [`duplicates`] are the keys two households may share and how a reviewer answers.

pub mod duplicates;
pub mod evidence;
pub mod flags;
pub mod geo;
