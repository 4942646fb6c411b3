//! `serve --watch`: an edit to a plugin's source is rebuilt and served; an
//! edit that does not build leaves the running version serving.

use std::sync::Arc;
use std::time::Duration;

use mitra::plugin_dev::watch::{Rebuilt, Watch};
use mitra::plugin_dev::{build, scaffold};
use mitra::runtime::Catalog;

use crate::support::{components, runtime};

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_plugin_is_rebuilt_and_served_and_a_broken_edit_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let krate = scaffold::new_plugin(tmp.path(), "water-board", &scaffold::default_sdk_path()).unwrap();
    let out = tmp.path().join("plugins");
    let target = std::path::PathBuf::from(components::WASM_TARGET_DIR);
    let installed = build::build(&krate, Some(&out), Some(&target)).unwrap();
    let rt = runtime();
    let catalog = Arc::new(Catalog::new());
    catalog.publish(Arc::new(rt.load_dir(&installed).unwrap()));
    let name = |catalog: &Catalog| catalog.get("water-board").unwrap().info().name.en.clone();
    assert_eq!(name(&catalog), "Water Board");

    let (report, mut rebuilt) = tokio::sync::mpsc::unbounded_channel::<Rebuilt>();
    let watch = Watch { crates: vec![krate.clone()], out, target_dir: target };
    tokio::spawn(watch.run(rt.clone(), catalog.clone(), Some(report)));
    tokio::time::sleep(Duration::from_millis(200)).await;

    let lib = krate.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, source.replace("Text::new(\"Water Board\")", "Text::new(\"Water Supply\")")).unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(180), rebuilt.recv()).await.unwrap().unwrap();
    assert!(outcome.outcome.is_ok(), "{:?}", outcome.outcome);
    assert_eq!(name(&catalog), "Water Supply");

    std::fs::write(&lib, "this is not rust").unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(180), rebuilt.recv()).await.unwrap().unwrap();
    assert!(outcome.outcome.unwrap_err().contains("cargo build failed"));
    assert_eq!(name(&catalog), "Water Supply", "the running version keeps serving");
}
