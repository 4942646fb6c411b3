//! The issued certificate a DigiLocker request names, or why there is none
//! to serve: the application must exist, have reached `issued` or
//! `delivered` with its document stored, be of the document type asked
//! for, and not be revoked.

use super::{DigiLockerConfig, DocType, Unserved};
use crate::applications::status;
use crate::certificates::issuer::{self, IssuedDocument};
use crate::store::{ApplicationRecord, Store};

/// A certificate Mitra may hand to DigiLocker.
#[derive(Clone, Debug)]
pub struct IssuedCertificate {
    pub application: ApplicationRecord,
    pub document: IssuedDocument,
    pub doc_type: DocType,
}

fn service_of(application: &ApplicationRecord) -> String {
    format!("{}/{}", application.plugin_id, application.service_id)
}

/// Certificate `number`, of document type `doc_type` if one is asked for
/// (a pull), else of the type its service is configured under (a push).
pub async fn find(
    store: &Store,
    config: &DigiLockerConfig,
    number: &str,
    doc_type: Option<&str>,
) -> anyhow::Result<Result<IssuedCertificate, Unserved>> {
    let asked = match doc_type {
        Some(code) => match config.doc_type(code) {
            Some(doc_type) => Some(doc_type),
            None => return Ok(Err(Unserved::UnknownDocType)),
        },
        None => None,
    };
    let number = number.trim();
    if number.is_empty() {
        return Ok(Err(Unserved::NoCertificateNumber));
    }
    let Some(file) = store.application_file(number).await? else { return Ok(Err(Unserved::NoSuchCertificate)) };
    let application = file.record;
    let issued = [status::ISSUED, status::DELIVERED].contains(&application.status.as_str());
    let document = match issuer::stored_document(&application) {
        Some(document) if issued => document,
        _ => return Ok(Err(Unserved::NotIssued)),
    };
    let service = service_of(&application);
    let doc_type = match asked {
        Some(doc_type) if doc_type.covers(&service) => doc_type,
        Some(_) => return Ok(Err(Unserved::OtherDocType)),
        None => match config.doc_type_of(&service) {
            Some(doc_type) => doc_type,
            None => return Ok(Err(Unserved::UnknownDocType)),
        },
    };
    // Revocations are few (an operator's act); the list is read whole.
    if store.revocations().await?.iter().any(|r| r.serial == application.number) {
        return Ok(Err(Unserved::Revoked));
    }
    Ok(Ok(IssuedCertificate { application, document, doc_type: doc_type.clone() }))
}
