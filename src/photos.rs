//! Pictures from a phone, a camera or a Word document, before they are stored beside a
//! page: decoded and written again, which leaves their metadata behind (EXIF with the GPS
//! position of a photo of children, the camera's serial number), turned upright by their
//! EXIF orientation first, and scaled down to [`MAX_WIDTH`] unless the teacher keeps the
//! original size. Only what decodes as a JPEG, PNG, WebP, BMP or GIF is a picture: a
//! program with a picture's name, an SVG (which can carry scripts) or a damaged file is
//! refused. GIFs are decoded frame by frame and written again, animation kept.
//!
//! Memory is bounded twice: a picture over [`MAX_PIXELS`] (or a GIF over its frame limits)
//! is refused from its header before it is decoded, and every decode first takes its
//! estimated memory from one budget for the whole process ([`BUDGET`]), waiting while
//! other pictures hold it — so parallel uploads cannot add up past it.

use std::io::Cursor;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Wide enough for any page (the theme's content column is under half of it).
pub const MAX_WIDTH: u32 = 1920;
/// JPEG quality of re-written photos.
const QUALITY: u8 = 85;
/// The most pixels of a still picture: a 50-megapixel phone photo fits, a decompression
/// bomb of 20000 × 20000 does not.
pub const MAX_PIXELS: u64 = 64_000_000;
/// The longest side of any picture.
pub const MAX_SIDE: u32 = 16_384;
/// A GIF's canvas, frames, and pixels of all its frames together at most.
const GIF_MAX_CANVAS: u64 = 16_000_000;
const GIF_MAX_FRAMES: usize = 1_000;
const GIF_MAX_TOTAL: u64 = 200_000_000;
/// Bytes of decoded pictures held at once by the whole process.
pub const BUDGET: u64 = 800 * 1024 * 1024;
/// How long a picture waits for its share of the budget.
const BUDGET_WAIT: Duration = Duration::from_secs(120);

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
    /// Larger than any photo (a decompression bomb): its width and height.
    TooLarge(u32, u32),
    /// Other pictures hold the memory for longer than a request waits.
    Busy,
}

impl Problem {
    /// What went wrong and what to do, in the catalogue's words.
    pub fn message(&self, name: &str) -> crate::i18n::Message {
        match self {
            Problem::NotAPicture => crate::t!("edit-upload-not-picture", name = name),
            Problem::TooLarge(w, h) => crate::t!(
                "picture-too-large",
                name = name,
                size = format!("{w}×{h}"),
                max = (MAX_PIXELS / 1_000_000) as i64
            ),
            Problem::Busy => crate::t!("edit-busy"),
        }
    }
}

/// Processes `bytes`.
pub fn store(bytes: &[u8], keep_size: bool) -> Result<Stored, Problem> {
    let format = image::guess_format(bytes).map_err(|_| Problem::NotAPicture)?;
    match format {
        ImageFormat::Gif => gif(bytes),
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Bmp => {
            still(bytes, format, keep_size)
        }
        _ => Err(Problem::NotAPicture),
    }
}

/// A still picture, decoded within its share of the budget and written again.
fn still(bytes: &[u8], format: ImageFormat, keep_size: bool) -> Result<Stored, Problem> {
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader.into_dimensions().map_err(|_| Problem::NotAPicture)?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS || width.max(height) > MAX_SIDE {
        return Err(Problem::TooLarge(width, height));
    }
    // The decoded picture, its RGB copy and the scaling's working rows, at 4 bytes each.
    let _share = Share::take(pixels * 12)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits(pixels * 8));
    let mut decoder = reader.into_decoder().map_err(|_| Problem::NotAPicture)?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => Problem::TooLarge(width, height),
        _ => Problem::NotAPicture,
    })?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    let scaled_from = (!keep_size && image.width() > MAX_WIDTH).then_some(image.width());
    if scaled_from.is_some() {
        image = image.resize(MAX_WIDTH, u32::MAX, image::imageops::FilterType::CatmullRom);
    }
    // Photos stay JPEG; PNG (drawings, screenshots) and BMP stay lossless; WebP follows
    // what it holds.
    let photo =
        format == ImageFormat::Jpeg || (format == ImageFormat::WebP && !image.color().has_alpha());
    encode(&image, photo).map(|(bytes, extension)| Stored {
        bytes,
        extension,
        scaled_from,
    })
}

fn limits(alloc: u64) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(alloc);
    limits
}

/// An animated or still GIF, read frame by frame (each checked against the limits before
/// the next is decoded) and written again frame by frame.
fn gif(bytes: &[u8]) -> Result<Stored, Problem> {
    use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
    let decoder = GifDecoder::new(Cursor::new(bytes)).map_err(|_| Problem::NotAPicture)?;
    let (width, height) = decoder.dimensions();
    let canvas = u64::from(width) * u64::from(height);
    if canvas > GIF_MAX_CANVAS || width.max(height) > MAX_SIDE {
        return Err(Problem::TooLarge(width, height));
    }
    let _share = Share::take(canvas * 16)?;
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, 10);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|_| Problem::NotAPicture)?;
        let mut total = 0u64;
        for (n, frame) in decoder.into_frames().enumerate() {
            let frame = frame.map_err(|_| Problem::NotAPicture)?;
            total += canvas;
            if n >= GIF_MAX_FRAMES || total > GIF_MAX_TOTAL {
                return Err(Problem::TooLarge(width, height));
            }
            encoder
                .encode_frame(frame)
                .map_err(|_| Problem::NotAPicture)?;
        }
    }
    Ok(Stored {
        bytes: out,
        extension: "gif",
        scaled_from: None,
    })
}

/// Writes `image` as JPEG (photos) or PNG (drawings, screenshots, transparency).
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

/// Bytes of [`BUDGET`] in use.
static IN_USE: Mutex<u64> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A share of [`BUDGET`], given back when dropped.
struct Share(u64);

impl Share {
    /// Takes `bytes` of the budget, waiting while other pictures hold it (one picture alone
    /// may always take what it needs: its size is bounded by [`MAX_PIXELS`]).
    fn take(bytes: u64) -> Result<Share, Problem> {
        let mut used = IN_USE.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = std::time::Instant::now() + BUDGET_WAIT;
        while *used > 0 && *used + bytes > BUDGET {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(Problem::Busy);
            }
            used = FREED
                .wait_timeout(used, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *used += bytes;
        Ok(Share(bytes))
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let mut used = IN_USE.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.0);
        FREED.notify_all();
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
    fn bombs_are_refused_from_their_header() {
        // A 20000 × 20000 JPEG is refused before a pixel is decoded.
        let mut jpeg = Cursor::new(Vec::new());
        DynamicImage::new_rgb8(16, 16)
            .write_to(&mut jpeg, ImageFormat::Jpeg)
            .unwrap();
        let mut bytes = jpeg.into_inner();
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 5..sof + 9].copy_from_slice(&[0x4E, 0x20, 0x4E, 0x20]);
        assert_eq!(
            store(&bytes, true).unwrap_err(),
            Problem::TooLarge(20000, 20000)
        );
        // A GIF whose canvas is 60000 × 60000.
        let mut gif = b"GIF89a".to_vec();
        gif.extend(60000u16.to_le_bytes());
        gif.extend(60000u16.to_le_bytes());
        gif.extend([0, 0, 0, 0x3B]);
        assert!(matches!(
            store(&gif, false),
            Err(Problem::TooLarge(..)) | Err(Problem::NotAPicture)
        ));
    }

    #[test]
    fn gifs_are_written_again_with_their_frames() {
        use image::codecs::gif::GifEncoder;
        let mut out = Vec::new();
        {
            let mut encoder = GifEncoder::new(&mut out);
            for shade in [0u8, 128, 255] {
                let frame = image::RgbaImage::from_pixel(40, 30, image::Rgba([shade, 0, 0, 255]));
                encoder.encode_frame(image::Frame::new(frame)).unwrap();
            }
        }
        // A comment block (where metadata hides) is not carried over.
        let mut with_comment = out[..out.len() - 1].to_vec();
        with_comment.extend(b"\x21\xFE\x0BGPS-31.2304\x00\x3B");
        let stored = store(&with_comment, false).unwrap();
        assert_eq!(stored.extension, "gif");
        assert!(!stored.bytes.windows(3).any(|w| w == b"GPS"));
        let frames = image::codecs::gif::GifDecoder::new(Cursor::new(&stored.bytes))
            .unwrap()
            .into_frames()
            .count();
        assert_eq!(frames, 3);
    }

    #[test]
    fn programs_and_svgs_are_not_pictures() {
        assert_eq!(
            store(b"MZ\x90\x00\x03", false).unwrap_err(),
            Problem::NotAPicture
        );
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        assert_eq!(store(svg, false).unwrap_err(), Problem::NotAPicture);
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
