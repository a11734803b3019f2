//! Brand's one public face: centre logos (per app, or per code, the code's own winning) and the
//! renditions made from a code's original image, which is never changed: the code with its logo,
//! and the poster (the code on a white card with its caption).

use std::sync::Arc;

use sha2::{Digest, Sha256};
use wxacode::poster::{PosterChoice, PosterInput};
use wxacode::{Message, Permission};

use super::store::{self, StoredLogo};
use crate::backend::actor::Actor;
use crate::backend::archive::Rendition;
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::codes::CodeService;
use crate::backend::db::Db;
use crate::backend::print::draw::{self, DrawError, MAX_LOGO_ASPECT, MIN_LOGO_SIDE};
use crate::backend::print::font::PrintFont;
use crate::backend::print::PrintService;
use crate::backend::settings::FileNamer;
use crate::error::AppError;
use crate::models::brand::{logo_too_large, LogoOwner, LogoView, ZipExtras, MAX_LOGO_BYTES};
use crate::models::codes::CodeSummary;
use crate::models::instance::InstanceInfo;
use crate::models::print::lines_of_poster;

pub struct BrandService {
    pool: Db,
    codes: Arc<CodeService>,
    print: Arc<PrintService>,
    audit: Arc<AuditService>,
}

impl BrandService {
    pub fn new(
        pool: Db,
        codes: Arc<CodeService>,
        print: Arc<PrintService>,
        audit: Arc<AuditService>,
    ) -> Self {
        Self { pool, codes, print, audit }
    }

    /// Sets the logo of an app (admins) or a code (members and admins who can see it).
    pub async fn set_logo(
        &self,
        owner: &LogoOwner,
        upload: &[u8],
        actor: &Actor,
    ) -> Result<LogoView, AppError> {
        self.may_change(owner, actor).await?;
        if upload.len() > MAX_LOGO_BYTES {
            return Err(logo_too_large(Some(upload.len().div_ceil(1024))));
        }
        let (image, width, height) = tokio::task::spawn_blocking({
            let upload = upload.to_vec();
            move || draw::normalised_logo(&upload)
        })
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(logo_refused)?;
        let logo = StoredLogo {
            owner: owner.key(),
            sha256: hex::encode(Sha256::digest(&image)),
            image,
            width: i64::from(width),
            height: i64::from(height),
        };
        store::put(&self.pool, &logo, &actor.name).await?;
        self.audit.record(actor, Action::LogoSet, owner.subject().detail(format!("{width}x{height}"))).await;
        Ok(LogoView::new(owner, &logo.sha256, width, height))
    }

    pub async fn remove_logo(&self, owner: &LogoOwner, actor: &Actor) -> Result<(), AppError> {
        self.may_change(owner, actor).await?;
        if !store::delete(&self.pool, &owner.key()).await? {
            return Err(no_logo());
        }
        self.audit.record(actor, Action::LogoRemove, owner.subject()).await;
        Ok(())
    }

    /// The logo set on exactly this owner, as stored (PNG).
    pub async fn logo(&self, owner: &LogoOwner, actor: &Actor) -> Result<(LogoView, Vec<u8>), AppError> {
        self.may_see(owner, actor).await?;
        let logo = store::get(&self.pool, &owner.key()).await?.ok_or_else(no_logo)?;
        Ok((view_of(owner, &logo), logo.image))
    }

    /// The logo set on exactly this owner, if any, as a page shows it (the image is not read).
    pub async fn logo_view(&self, owner: &LogoOwner, actor: &Actor) -> Result<Option<LogoView>, AppError> {
        self.may_see(owner, actor).await?;
        self.stored_view(owner).await
    }

    async fn stored_view(&self, owner: &LogoOwner) -> Result<Option<LogoView>, AppError> {
        let meta = store::meta(&self.pool, &owner.key()).await?;
        Ok(meta.map(|m| LogoView::new(owner, &m.sha256, m.width as u32, m.height as u32)))
    }

    /// The logo a code is drawn with: its own, else its app's.
    pub async fn logo_for(&self, code: &CodeSummary) -> Result<Option<(LogoOwner, StoredLogo)>, AppError> {
        for owner in drawn_with(code) {
            if let Some(logo) = store::get(&self.pool, &owner.key()).await? {
                return Ok(Some((owner, logo)));
            }
        }
        Ok(None)
    }

    /// Which logo a code would be drawn with, if any (the image is not read).
    pub async fn logo_view_for(&self, id: i64, actor: &Actor) -> Result<Option<LogoView>, AppError> {
        let code = self.codes.get(id, actor).await?;
        for owner in drawn_with(&code) {
            if let Some(view) = self.stored_view(&owner).await? {
                return Ok(Some(view));
            }
        }
        Ok(None)
    }

    /// The code with its logo in a white circle over the centre, as PNG.
    pub async fn branded(&self, id: i64, actor: &Actor) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let (code, original) = self.codes.image(id, actor).await?;
        let (_, logo) = self.logo_for(&code).await?.ok_or_else(no_logo)?;
        Ok((code, branded_png(original, logo.image).await?))
    }

    /// The code on a white card with one or two lines under it, as PNG.
    pub async fn poster(
        &self,
        id: i64,
        input: &PosterInput,
        actor: &Actor,
    ) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let choice = input.check().map_err(|problems| AppError::Invalid { problems })?;
        let font = self.print.font()?;
        let (code, original) = self.codes.image(id, actor).await?;
        let png = poster_png(original, lines_of_poster(&code, &choice), choice, font).await?;
        Ok((code, png))
    }

    /// A ZIP of the chosen codes with the renditions asked for beside each original.
    pub async fn archive(
        &self,
        ids: &[i64],
        extras: ZipExtras,
        instance: &InstanceInfo,
        namer: &FileNamer,
        actor: &Actor,
    ) -> Result<Vec<u8>, AppError> {
        let mut codes = self.codes.archived_codes(ids, instance, actor).await?;
        if extras.poster {
            // Checked once: the defaults always pass.
            let choice = PosterInput::default().check().map_err(|problems| AppError::Invalid { problems })?;
            let font = self.print.font()?;
            for archived in &mut codes {
                let (original, lines, choice, font) = (
                    archived.image.clone(),
                    lines_of_poster(&archived.code, &choice),
                    choice.clone(),
                    Arc::clone(&font),
                );
                let png =
                    blocking(move || draw::poster(&draw::decode(&original)?, &lines, &choice, &font)).await?;
                archived.renditions.push(Rendition { kind: "poster", png });
            }
        }
        if extras.logo {
            for archived in &mut codes {
                if let Some((_, logo)) = self.logo_for(&archived.code).await? {
                    let original = archived.image.clone();
                    let png = blocking(move || {
                        draw::encode_png(&draw::with_logo(
                            &draw::decode(&original)?,
                            &draw::decode(&logo.image)?,
                        ))
                    })
                    .await?;
                    archived.renditions.push(Rendition { kind: "logo", png });
                }
            }
        }
        self.codes.pack_archive(&codes, namer, actor).await
    }

    async fn may_see(&self, owner: &LogoOwner, actor: &Actor) -> Result<(), AppError> {
        match owner {
            LogoOwner::Code(id) => self.codes.get(*id, actor).await.map(drop),
            LogoOwner::App(appid) => actor.readable_apps(Some(appid)).map(drop),
        }
    }

    async fn may_change(&self, owner: &LogoOwner, actor: &Actor) -> Result<(), AppError> {
        match owner {
            LogoOwner::Code(id) => {
                actor.require(Permission::ManageCodes)?;
                self.codes.get(*id, actor).await.map(drop)
            }
            LogoOwner::App(appid) => {
                actor.require(Permission::Administer)?;
                self.codes.apps().find(appid).await.map(drop)
            }
        }
    }
}

/// Whose logo a code is drawn with, first found first: its own, else its app's.
fn drawn_with(code: &CodeSummary) -> [LogoOwner; 2] {
    [LogoOwner::Code(code.id), LogoOwner::App(code.appid.clone())]
}

fn view_of(owner: &LogoOwner, logo: &StoredLogo) -> LogoView {
    LogoView::new(owner, &logo.sha256, logo.width as u32, logo.height as u32)
}

fn no_logo() -> AppError {
    AppError::Missing { message: Message::new("没有设置标志", "No logo is set") }
}

/// An upload that is not a small PNG or JPEG is the uploader's to fix.
fn logo_refused(error: DrawError) -> AppError {
    match error {
        DrawError::TooBig { width, height } => AppError::rejected(
            format!("标志图片为 {width} × {height} 像素，每边最多 4096 像素"),
            format!("The logo is {width} × {height} pixels; at most 4096 a side"),
        ),
        DrawError::Proportions { width, height } => AppError::rejected(
            format!("标志图片为 {width} × {height} 像素：每边至少 {MIN_LOGO_SIDE} 像素，长边不超过短边的 {MAX_LOGO_ASPECT} 倍，否则在码中心看不清"),
            format!("The logo is {width} × {height} pixels: each side needs {MIN_LOGO_SIDE} or more, the long side at most {MAX_LOGO_ASPECT} times the short one, or it cannot be seen in the centre"),
        ),
        DrawError::Unreadable(reason) => {
            tracing::info!(%reason, "logo refused");
            AppError::rejected(
                "标志须为 PNG 或 JPEG 图片，这个文件无法读取",
                "A logo must be a PNG or JPEG image; this file cannot be read",
            )
        }
        DrawError::Encode(reason) => {
            tracing::error!(%reason, "cannot store a logo");
            AppError::Internal
        }
    }
}

/// The original with the logo in its centre, as PNG.
async fn branded_png(original: Vec<u8>, logo: Vec<u8>) -> Result<Vec<u8>, AppError> {
    blocking(move || draw::encode_png(&draw::with_logo(&draw::decode(&original)?, &draw::decode(&logo)?)))
        .await
}

/// The original on a poster card with `lines` under it, as PNG.
async fn poster_png(
    original: Vec<u8>,
    lines: Vec<String>,
    choice: PosterChoice,
    font: Arc<PrintFont>,
) -> Result<Vec<u8>, AppError> {
    blocking(move || draw::poster(&draw::decode(&original)?, &lines, &choice, &font)).await
}

/// Drawing is CPU work: off the async threads. A stored image that cannot be drawn is ours.
async fn blocking(
    work: impl FnOnce() -> Result<Vec<u8>, DrawError> + Send + 'static,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| AppError::Internal)?.map_err(|error| {
        tracing::error!(%error, "cannot draw a rendition of a stored code");
        AppError::Internal
    })
}

impl LogoOwner {
    fn subject(&self) -> Subject {
        match self {
            LogoOwner::Code(id) => Subject::code(*id),
            LogoOwner::App(appid) => Subject::app(appid.clone()),
        }
    }
}
