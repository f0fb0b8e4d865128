//! Input the browser refuses before any request: an empty sign-in names the empty fields, and a
//! deck too large or not a PDF is refused before a byte is sent.

use super::*;

#[actix_web::test]
async fn an_empty_sign_in_names_the_empty_fields() {
    let Some(b) = Browser::start("an_empty_sign_in_names_the_empty_fields").await else {
        return;
    };
    let app = TestApp::new().await;
    b.goto(&app.url("/login")).await;
    b.wait_for("[data-screen=login] #login-email").await;
    b.click("form button[type=submit]").await;
    b.wait_for("#login-email[aria-invalid=true]").await;
    assert!(
        b.find("#login-password[aria-invalid=true]").await.is_some(),
        "both fields are named"
    );
    let alert = b.text("[data-screen=login] .alert-error").await;
    assert!(
        !alert.to_lowercase().contains("wrong"),
        "not a wrong-password message: {alert}"
    );
    assert_eq!(
        b.exec("return document.activeElement.id", json!([])).await,
        "login-email"
    );
    // Typing a value clears its error at once.
    b.send_keys("#login-email", "someone@example.org").await;
    assert!(
        b.find("#login-email[aria-invalid=true]").await.is_none(),
        "the email's error went with the problem"
    );
    // Registration refused as a whole: focus goes to the first field on the form (the name),
    // not to whichever field the server happened to list first.
    b.goto(&app.url("/register")).await;
    b.wait_for("[data-screen=register] #reg-name").await;
    b.click("form button[type=submit]").await;
    b.wait_for("#reg-name[aria-invalid=true]").await;
    b.wait_until(
        "focus on the name",
        "return document.activeElement?.id === 'reg-name'",
    )
    .await;
    let refused = b.console_errors().await;
    assert!(
        refused.iter().all(|e| e.contains("status of 422")),
        "only the refused registration: {refused:?}"
    );

    // A signed-out first load makes no failing request, and a Korean page loads only Korean.
    b.exec("localStorage.setItem('jury.locale', 'ko')", json!([]))
        .await;
    b.goto(&app.url("/contests")).await;
    b.wait_for("[data-screen=contests]").await;
    let loaded = b
        .exec(
            "return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/i18n/') || n.includes('/auth/refresh'))",
            json!([]),
        )
        .await;
    let loaded: Vec<String> = serde_json::from_value(loaded).unwrap();
    assert_eq!(
        loaded,
        vec![app.url("/i18n/ko.json")],
        "only the Korean strings, and no refresh call for a visitor who never signed in"
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.quit().await;
}

#[actix_web::test]
async fn a_deck_too_large_or_not_a_pdf_is_refused_before_a_byte_is_sent() {
    let Some(b) =
        Browser::start("a_deck_too_large_or_not_a_pdf_is_refused_before_a_byte_is_sent").await
    else {
        return;
    };
    let app = TestApp::with_config(|c| c.upload_max_bytes = 2 * 1024 * 1024).await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{id}")),
        &founder.email,
        PASSWORD,
    )
    .await;
    b.wait_for("[data-screen=application] #app-deck").await;
    let hint = b.text("#app-deck-hint").await;
    assert!(
        hint.contains("2 MB"),
        "the hint states the server's limit: {hint}"
    );

    let big = app.dir.path().join("big deck.pdf");
    let mut bytes = jury::applications::pdf::sample("Big");
    bytes.resize(3 * 1024 * 1024, b' ');
    std::fs::write(&big, bytes).unwrap();
    let input = b.wait_for("#app-deck").await;
    b.send_file(&input, &big).await;
    let error = b.text("#app-deck-error:not([hidden])").await;
    assert!(
        error.contains("3 MB") && error.contains("2 MB"),
        "size and limit named: {error}"
    );
    let text = app.dir.path().join("notes.txt");
    std::fs::write(&text, "not a deck").unwrap();
    let input = b.wait_for("#app-deck").await;
    b.send_file(&input, &text).await;
    b.wait_until(
        "type refused",
        "return document.querySelector('#app-deck-error').textContent.includes('PDF')",
    )
    .await;
    let sent = b
        .exec(
            "return performance.getEntriesByType('resource').filter((e) => e.name.includes('/documents') && !e.name.includes('/documents/rules')).length",
            json!([]),
        )
        .await;
    assert_eq!(sent, 0, "nothing was uploaded");

    // A small deck goes up and is described in kB, not as "0 MB".
    let small = app.dir.path().join("deck.pdf");
    std::fs::write(&small, jury::applications::pdf::sample("Small")).unwrap();
    let input = b.wait_for("#app-deck").await;
    b.send_file(&input, &small).await;
    b.wait_until(
        "uploaded",
        "return document.querySelector('#deck-info').textContent.includes('deck.pdf')",
    )
    .await;
    let info = b.text("#deck-info").await;
    assert!(info.contains("kB"), "{info}");
    assert!(
        b.exec(
            "return document.querySelector('#app-deck-error').hidden",
            json!([])
        )
        .await
            == true,
        "the earlier error went"
    );
    b.quit().await;
}
