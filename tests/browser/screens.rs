//! What the sweep cannot show by looking: the phone menu works from the keyboard, audit
//! details read as field / before / after rows in the reader's language, and the assignment
//! matrix stays readable at 1366 px (one line per chip, a sticky first column, pages).

use serde_json::{Value, json};

use crate::common::webdriver::{Browser, key};
use crate::common::{PASSWORD, TestApp};

fn strings(lang: &str) -> serde_json::Map<String, Value> {
    let path = format!("{}/frontend/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("i18n file")).expect("i18n json")
}

async fn focused(b: &Browser) -> Value {
    b.exec(
        "const a = document.activeElement; return a.id || a.getAttribute('href') || a.tagName",
        json!([]),
    )
    .await
}

/// Whether the element matching `css` is rendered and fully inside the viewport's width.
async fn on_screen(b: &Browser, css: &str) -> bool {
    b.exec(
        "const e = document.querySelector(arguments[0]); if (!e || !e.getClientRects().length) return false;
         const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth && r.width > 0",
        json!([css]),
    )
    .await
        == Value::Bool(true)
}

#[actix_web::test]
async fn phone_menu_opens_with_the_keyboard_and_reveals_account() {
    let Some(b) = Browser::start("phone_menu_opens_with_the_keyboard_and_reveals_account").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    )
    .await;
    b.sign_in(&app.url("/login?next=/"), &admin.email, PASSWORD)
        .await;
    b.wait_for("[data-screen=home]").await;
    let account = "#topnav a[href='/account']";
    assert!(
        !on_screen(&b, account).await,
        "menu closed: no Account link"
    );
    assert_eq!(
        b.exec(
            "return document.getElementById('nav-toggle').getAttribute('aria-expanded')",
            json!([])
        )
        .await,
        "false"
    );

    // Tab from the top of a fresh page reaches the menu button; Enter opens it.
    b.refresh().await;
    b.wait_for("[data-screen=home]").await;
    let mut tabs = 0;
    while focused(&b).await != "nav-toggle" {
        tabs += 1;
        assert!(tabs < 10, "the menu button is not reachable by Tab");
        b.keys(key::TAB).await;
    }
    b.keys(key::ENTER).await;
    assert_eq!(
        b.exec(
            "return document.getElementById('nav-toggle').getAttribute('aria-expanded')",
            json!([])
        )
        .await,
        "true"
    );
    assert!(on_screen(&b, account).await, "menu open: Account on screen");
    assert!(
        on_screen(&b, "#logout").await,
        "menu open: sign-out on screen"
    );
    b.screenshot("phone-menu-open").await;

    // Escape closes it and gives focus back to the button.
    b.keys(key::TAB).await;
    b.keys(key::ESCAPE).await;
    assert!(!on_screen(&b, account).await, "Escape closes the menu");
    assert_eq!(focused(&b).await, "nav-toggle");

    // Open again, Tab to Account, Enter follows it and the menu closes.
    b.keys(key::ENTER).await;
    let mut tabs = 0;
    while focused(&b).await != "/account" {
        tabs += 1;
        assert!(
            tabs < 10,
            "Account is not reachable by Tab in the open menu"
        );
        b.keys(key::TAB).await;
    }
    b.keys(key::ENTER).await;
    b.wait_until(
        "on the account screen",
        "return location.pathname === '/account'",
    )
    .await;
    assert_eq!(
        b.exec(
            "return document.getElementById('nav-toggle').getAttribute('aria-expanded')",
            json!([])
        )
        .await,
        "false"
    );

    // Wide screens show the links and no menu button.
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    )
    .await;
    assert!(
        on_screen(&b, account).await,
        "desktop: Account in the header"
    );
    assert!(
        !on_screen(&b, "#nav-toggle").await,
        "desktop: no menu button"
    );
    b.quit().await;
}

#[actix_web::test]
async fn audit_details_read_as_rows_in_korean() {
    let Some(b) = Browser::start("audit_details_read_as_rows_in_korean").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let judging = app.judging(&admin, 1, &["KR", "CN"], false).await;
    let res = app
        .patch("/api/v1/me")
        .by(&admin)
        .json(&json!({"locale": "ko"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    b.sign_in(&app.url("/login?next=/admin/audit"), &admin.email, PASSWORD)
        .await;
    b.wait_for("#audit-table [data-action='round.transition']")
        .await;
    let ko = strings("ko");
    let word = |k: &str| ko[k].as_str().expect(k).to_string();

    // The round's move to judging: the action in words, one row from setup to judging.
    let row: Value = b
        .exec(
            "const tr = document.querySelector('#audit-table [data-action=\"round.transition\"]').closest('tr');
             return { action: tr.querySelector('[data-action]').textContent,
                      rows: [...tr.querySelectorAll('.audit-details tbody tr')].map((r) => [...r.children].map((c) => c.textContent)),
                      text: tr.textContent }",
            json!([]),
        )
        .await;
    assert_eq!(row["action"], word("audit.action.round.transition"));
    assert_eq!(
        row["rows"],
        json!([[
            word("audit.field.state"),
            word("round.state.setup"),
            word("round.state.judging")
        ]]),
        "{row}"
    );
    assert!(
        row["text"].as_str().unwrap_or_default().contains(&format!(
            "{} #{}",
            word("audit.entity.round"),
            judging.round
        )),
        "the entity in words with its id: {row}"
    );

    // No entry shows raw JSON.
    let cells: Vec<String> = serde_json::from_value(
        b.exec(
            "return [...document.querySelectorAll('#audit-table td[data-label]')].map((c) => c.textContent)",
            json!([]),
        )
        .await,
    )
    .expect("cells");
    assert!(
        cells.iter().all(|c| !c.contains('{') && !c.contains("\":")),
        "raw JSON in the audit log: {cells:?}"
    );
    b.quit().await;
}

#[actix_web::test]
async fn assignment_matrix_is_readable_at_1366_in_korean() {
    let Some(b) = Browser::start("assignment_matrix_is_readable_at_1366_in_korean").await else {
        return;
    };
    let app = TestApp::new().await;
    let demo = jury::demo::seed(&app.state, 80, 12).await.expect("seed");
    let admin = app.login(&demo.admin_email, jury::demo::PASSWORD).await;
    let res = app
        .patch("/api/v1/me")
        .by(&admin)
        .json(&json!({"locale": "ko"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let rounds = app
        .get(&format!("/api/v1/contests/{}/rounds", demo.contest))
        .by(&admin)
        .send()
        .await;
    // The Korean preliminary: some 35 of the 80 applications are routed to it.
    let round = rounds.body[0]["id"].as_i64().expect("round");
    let entries = rounds.body[0]["entries"].as_i64().expect("entries");
    assert!(
        entries > 25 && entries <= 50,
        "two pages of entries: {entries}"
    );
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    )
    .await;
    let path = format!("/admin/rounds/{round}?tab=assignments");
    b.sign_in(
        &app.url(&format!(
            "/login?next={}",
            path.replace('?', "%3F").replace('=', "%3D")
        )),
        &demo.admin_email,
        jury::demo::PASSWORD,
    )
    .await;
    b.wait_for("#assign-matrix tbody tr .chip").await;
    let layout = b
        .exec(
            "const chips = [...document.querySelectorAll('#assign-matrix .chip')];
             const root = document.documentElement;
             return { rows: document.querySelectorAll('#assign-matrix tbody tr').length,
                      tallest: Math.max(...chips.map((c) => c.getBoundingClientRect().height)),
                      sideways: root.scrollWidth - root.clientWidth,
                      sticky: getComputedStyle(document.querySelector('#assign-matrix tbody th')).position,
                      pager: document.querySelector('nav.pager')?.textContent || '' }",
            json!([]),
        )
        .await;
    b.screenshot("assign-matrix-ko-1366").await;
    assert_eq!(layout["rows"], 25, "one page of 25 entries: {layout}");
    assert!(
        layout["tallest"].as_f64().unwrap_or(999.0) <= 44.0,
        "a chip wraps: {layout}"
    );
    assert!(
        layout["sideways"].as_i64().unwrap_or(1) <= 0,
        "the page scrolls sideways: {layout}"
    );
    assert_eq!(layout["sticky"], "sticky", "{layout}");

    // The second page holds the rest.
    b.click("nav.pager a:last-child").await;
    b.wait_until(
        "page 2",
        &format!(
            "return document.querySelectorAll('#assign-matrix tbody tr').length === {}",
            entries - 25
        ),
    )
    .await;
    b.quit().await;
}

#[actix_web::test]
async fn the_bell_is_named_with_the_count_it_shows() {
    let Some(b) = Browser::start("the_bell_is_named_with_the_count_it_shows").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let judging = app.judging(&admin, 1, &["KR"], false).await;
    let judge = &judging.judges[0];
    let unread = app
        .get("/api/v1/me/notifications/unread")
        .by(judge)
        .send()
        .await;
    assert!(
        unread.body["unread"].as_i64().unwrap_or(0) > 0,
        "the invitation is unread: {}",
        unread.text
    );
    b.sign_in(&app.url("/login?next=/judge"), &judge.email, PASSWORD)
        .await;
    b.wait_until(
        "the count shows",
        "return !document.getElementById('notif-count').hidden",
    )
    .await;
    let bell = b
        .exec(
            "const a = document.getElementById('notif-link');
             return [a.getAttribute('aria-label'), document.getElementById('notif-count').textContent]",
            json!([]),
        )
        .await;
    let (name, shown) = (
        bell[0].as_str().unwrap_or(""),
        bell[1].as_str().unwrap_or("?"),
    );
    assert!(
        !shown.is_empty() && name.contains(shown),
        "the bell's name {name:?} holds its visible count {shown:?}"
    );
    b.quit().await;
}
