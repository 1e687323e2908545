import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hydrated, mintLink, pdfText, wasmRequested } from './helpers';

// The demo debtor C-1001 (Boulangerie Martin & Fils): invoices overdue 35 and 5 days, due in
// 3 and 20 days, seeded by the test script.

async function openStatement(page: Page, js: boolean) {
  await page.goto(mintLink('C-1001'));
  await expect(page).toHaveURL(/\/statement$/); // no token left in the address bar
  if (js) await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Relevé de compte' })).toBeVisible();
}

for (const js of [true, false]) {
  test.describe(`journey with JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('open the link, read the statement, switch to English, download PDFs', async ({ page }) => {
      await openStatement(page, js);
      await expect(page.getByText('Bonjour Boulangerie Martin & Fils')).toBeVisible();
      const overdue = page.getByRole('article', { name: 'Facture F-2026-0103' });
      await expect(overdue.getByText('en retard de 5 jours')).toBeVisible();
      await expect(overdue.getByText('7\u202F350,00\u00A0€').first()).toBeVisible();
      await expect(page.getByRole('table', { name: /par ancienneté/ }).getByRole('row', { name: /1 à 30 jours/ })).toContainText('7\u202F350,00');

      await page.getByRole('link', { name: 'English' }).click();
      await expect(page).toHaveURL(/\/statement$/);
      if (js) await hydrated(page);
      await expect(page.getByRole('heading', { level: 1, name: 'Statement of account' })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      const card = page.getByRole('article', { name: 'Invoice F-2026-0103' });
      await expect(card.getByText('5 days overdue')).toBeVisible();

      const [invoice] = await Promise.all([
        page.waitForEvent('download'),
        card.getByRole('link', { name: /Download PDF/ }).click(),
      ]);
      expect(invoice.suggestedFilename()).toBe('invoice-F-2026-0103.pdf');
      const invoiceText = pdfText(await invoice.path());
      expect(invoiceText).toContain('F-2026-0103');
      expect(invoiceText).toContain('Boulangerie Martin & Fils');
      expect(invoiceText).toContain('€7,350.00');

      const [statement] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download statement (PDF)' }).click(),
      ]);
      const statementText = pdfText(await statement.path());
      for (const n of ['F-2026-0101', 'F-2026-0102', 'F-2026-0103', 'F-2026-0104']) expect(statementText).toContain(n);

      // Back to French for whoever opens this browser next.
      await page.getByRole('link', { name: 'Français' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Relevé de compte' })).toBeVisible();
    });
  });
}

test('the statement downloads no Wasm: it has no island, only HTML and CSS', async ({ page }) => {
  const wasm = await wasmRequested(page, () => page.goto(mintLink('C-1001')));
  await expect(page.getByRole('heading', { level: 1, name: 'Relevé de compte' })).toBeVisible();
  expect(wasm).toEqual([]);
  // Leptos writes two empty bootstrap lines inline; nothing is loaded.
  expect(await page.locator('script[src], script[type=module], link[rel=modulepreload]').count(), 'no script to load').toBe(0);
});

test('a 320 px phone: nothing scrolls sideways, and axe finds no accessibility violations', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await openStatement(page, true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
});

test('signing out ends the session', async ({ page }) => {
  await openStatement(page, true);
  await page.getByRole('button', { name: 'Quitter' }).click();
  await expect(page.getByRole('status')).toContainText('Vous avez quitté votre espace');
  await page.goto('/statement');
  await expect(page.getByRole('alert')).toContainText('Votre session a expiré');
});
