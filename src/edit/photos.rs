//! Pictures uploaded from a phone or a camera: decoded and written again, which leaves
//! their metadata behind (EXIF with the GPS position of a photo of children, the camera's
//! serial number), turned upright by their EXIF orientation first, and scaled down to
//! [`MAX_WIDTH`] unless the teacher keeps the original size. GIFs stay as they are (their
//! animation would be lost); they carry no EXIF.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Wide enough for any page (the theme's content column is under half of it).
pub const MAX_WIDTH: u32 = 1920;
/// JPEG quality of re-written photos.
const QUALITY: u8 = 85;

/// A picture ready to store: its bytes and the extension its format takes.
#[derive(Debug)]
pub struct Stored {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// `jpg`, `png` or `gif`.
    pub extension: &'static str,
    /// Scaled down from this width.
    pub scaled_from: Option<u32>,
}

/// Why a picture cannot be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not a picture of a kind the page can show, whatever its name says.
    NotAPicture,
    /// Larger than any photo (a decompression bomb).
    TooLarge,
}

/// Processes `bytes`.
pub fn store(bytes: &[u8], keep_size: bool) -> Result<Stored, Problem> {
    let format = image::guess_format(bytes).map_err(|_| Problem::NotAPicture)?;
    if format == ImageFormat::Gif {
        return Ok(Stored {
            bytes: bytes.to_vec(),
            extension: "gif",
            scaled_from: None,
        });
    }
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(Problem::NotAPicture);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Problem::NotAPicture)?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => Problem::TooLarge,
        _ => Problem::NotAPicture,
    })?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    let scaled_from = (!keep_size && image.width() > MAX_WIDTH).then_some(image.width());
    if scaled_from.is_some() {
        image = image.resize(MAX_WIDTH, u32::MAX, image::imageops::FilterType::CatmullRom);
    }
    encode(
        &image,
        format == ImageFormat::Jpeg || !image.color().has_alpha(),
    )
    .map(|(bytes, extension)| Stored {
        bytes,
        extension,
        scaled_from,
    })
}

/// Writes `image` as JPEG (photos) or PNG (pictures with transparency, drawings).
fn encode(image: &DynamicImage, photo: bool) -> Result<(Vec<u8>, &'static str), Problem> {
    let mut out = Cursor::new(Vec::new());
    if photo {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY);
        image
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(|_| Problem::NotAPicture)?;
        Ok((out.into_inner(), "jpg"))
    } else {
        image
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|_| Problem::NotAPicture)?;
        Ok((out.into_inner(), "png"))
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A JPEG of `width` × `height` with an EXIF block holding a GPS position.
    pub fn photo_with_gps(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::new_rgb8(width, height);
        let mut jpeg = Cursor::new(Vec::new());
        image.write_to(&mut jpeg, ImageFormat::Jpeg).unwrap();
        let jpeg = jpeg.into_inner();
        let mut out = jpeg[..2].to_vec();
        out.extend(exif_segment());
        out.extend(&jpeg[2..]);
        out
    }

    /// An APP1 segment: `Exif\0\0`, a little-endian TIFF header, IFD0 pointing at a GPS
    /// IFD with latitude reference `N` and a latitude of 30°.
    fn exif_segment() -> Vec<u8> {
        let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
        // IFD0: one entry, GPSInfo (0x8825) -> offset 26.
        tiff.extend([1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0]);
        // GPS IFD at 26: GPSLatitudeRef "N", GPSLatitude 30/1 0/1 0/1 at offset 56.
        tiff.extend([
            2, 0, 1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0, 2, 0, 5, 0, 3, 0, 0, 0, 56, 0, 0, 0, 0, 0,
            0, 0,
        ]);
        for (n, d) in [(30u32, 1u32), (0, 1), (0, 1)] {
            tiff.extend(n.to_le_bytes());
            tiff.extend(d.to_le_bytes());
        }
        let mut body = b"Exif\0\0".to_vec();
        body.extend(tiff);
        let mut segment = vec![0xFF, 0xE1];
        segment.extend(((body.len() + 2) as u16).to_be_bytes());
        segment.extend(body);
        segment
    }

    #[test]
    fn photos_lose_their_metadata_and_shrink() {
        let photo = photo_with_gps(2400, 1200);
        assert!(photo.windows(4).any(|w| w == b"Exif"));
        let stored = store(&photo, false).unwrap();
        assert_eq!(stored.extension, "jpg");
        assert!(
            !stored.bytes.windows(4).any(|w| w == b"Exif"),
            "the EXIF block is gone"
        );
        assert_eq!(stored.scaled_from, Some(2400));
        let image = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((image.width(), image.height()), (1920, 960));
        let kept = store(&photo, true).unwrap();
        assert_eq!(image::load_from_memory(&kept.bytes).unwrap().width(), 2400);
        assert!(!kept.bytes.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn only_pictures_are_pictures() {
        assert_eq!(store(b"%PDF-1.7", false).unwrap_err(), Problem::NotAPicture);
        assert_eq!(
            store(b"\x89PNG\r\n\x1a\nbroken", false).unwrap_err(),
            Problem::NotAPicture
        );
    }
}
