//! The trait a department implements and the macro that exports it.

use std::marker::PhantomData;

use crate::wit::Guest;
use crate::{
    Answer, Answers, Applicant, Application, Certificate, DataRecord, Decision, DepartmentInfo, Document, PluginError,
};

/// A department plugin. Implement [`describe`](Department::describe) and
/// [`check_eligibility`](Department::check_eligibility); the other calls answer
/// `unsupported` until you implement them.
///
/// Each call runs in a fresh instance: keep no state in statics between calls.
pub trait Department {
    /// The department and its services. Called once when the plugin loads.
    fn describe() -> DepartmentInfo;

    /// May this applicant use `service_id` with these answers?
    fn check_eligibility(
        service_id: &str,
        applicant: &Applicant,
        answers: &Answers<'_>,
    ) -> Result<Decision, PluginError>;

    /// Look a record up in the department's systems.
    fn fetch_data(service_id: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        let _ = query;
        Err(PluginError::Unsupported(format!("{service_id} has no data lookup")))
    }

    /// The body of the document an application produces: a title, labelled
    /// values and a closing paragraph. Implement
    /// [`render_certificate`](Department::render_certificate) instead to say
    /// who the document is about (the name in both scripts, identifiers, a
    /// photo) and to group its fields under headings.
    fn render_document(service_id: &str, application: &Application) -> Result<Document, PluginError> {
        let _ = application;
        Err(PluginError::Unsupported(format!("{service_id} issues no document")))
    }

    /// The document an application produces, with its holder and sections
    /// (contract 0.2.0). By default, [`render_document`](Department::render_document)'s
    /// document as one untitled section.
    fn render_certificate(service_id: &str, application: &Application) -> Result<Certificate, PluginError> {
        Self::render_document(service_id, application).map(Certificate::from)
    }
}

/// Bridges a [`Department`] to the generated export trait.
#[doc(hidden)]
pub struct Adapter<T>(PhantomData<T>);

impl<T: Department> Guest for Adapter<T> {
    fn describe() -> DepartmentInfo {
        let mut info = T::describe();
        info.contract_version = crate::CONTRACT_VERSION.to_owned();
        info
    }

    fn check_eligibility(
        service_id: String,
        applicant: Applicant,
        answers: Vec<Answer>,
    ) -> Result<Decision, PluginError> {
        T::check_eligibility(&service_id, &applicant, &Answers::new(&answers))
    }

    fn fetch_data(service_id: String, query: Vec<Answer>) -> Result<DataRecord, PluginError> {
        T::fetch_data(&service_id, &Answers::new(&query))
    }

    fn render_document(service_id: String, application: Application) -> Result<Certificate, PluginError> {
        T::render_certificate(&service_id, &application)
    }
}

/// Exports a [`Department`] implementation as the plugin's component exports.
///
/// Call it once, at the top level of the plugin crate.
#[macro_export]
macro_rules! export_department {
    ($department:ty) => {
        const _: () = {
            type __MitraDepartment = $crate::Adapter<$department>;
    $crate::wit::__export_department_world!(__MitraDepartment with_types_in $crate::wit);
        };
    };
}
