import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { hydrated, mintLink, pdfText } from './helpers';

// Card payments go to the Stripe-compatible sandbox the test script starts (its Stripe.js
// draws plain inputs, and a small dialog for 3-D Secure). Each test pays with its own demo
// debtor, so tests running side by side never change each other's balances.

/** Opens the statement, then the Pay page of one invoice, by its button or by its address.
 *  The pay page is plain server-rendered HTML: there is no hydration to wait for. */
async function openPay(page: Page, debtor: string, invoice: string, how: 'click' | 'load') {
  await page.goto(mintLink(debtor));
  await hydrated(page);
  const pay = page.getByRole('article', { name: `Facture ${invoice}` }).getByRole('link', { name: /^Payer/ });
  if (how === 'click') await pay.click();
  else await page.goto((await pay.getAttribute('href'))!);
  await expect(page.getByRole('heading', { level: 1, name: 'Payer' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Payer par carte' })).toBeVisible();
}

async function typeCard(page: Page, number: string) {
  const field = page.locator('#card-element');
  await field.getByPlaceholder('number').fill(number);
  await field.getByPlaceholder('exp_month').fill('12');
  await field.getByPlaceholder('exp_year').fill('34');
  await field.getByPlaceholder('cvc').fill('123');
}

async function amountOf(page: Page): Promise<string> {
  return (await page.locator('.big-amount').first().innerText()).trim();
}

type Mail = { subject: string; date: string; to: { address: string }[]; attachments?: { contentType: string; generatedFileName: string }[] };

async function receiptMail(to: string, since: Date): Promise<Mail> {
  const api = process.env.MAILDEV_API!;
  for (let i = 0; i < 80; i++) {
    const all: Mail[] = await (await fetch(`${api}/email`)).json();
    const found = all.find((m) => (m.to ?? []).some((t) => t.address === to) && new Date(m.date) >= since && /reçu/i.test(m.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no receipt mail to ${to}`);
}

test('pay one invoice by card: receipt page, receipt email with PDF, new balance on the statement', async ({ page }) => {
  const since = new Date(Date.now() - 1000);
  await openPay(page, 'C-1004', 'F-2026-0408', 'click');
  const amount = await amountOf(page);
  await expect(page.getByRole('list', { name: 'Ce paiement règle' })).toContainText('F-2026-0408');
  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: `Payer ${amount}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paiement reçu, merci !' })).toBeVisible();
  await expect(page.locator('.big-amount')).toHaveText(amount);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le reçu (PDF)' }).click()]);
  const text = pdfText(await download.path());
  expect(text).toContain('F-2026-0408');
  expect(text).toContain('Mairie de Saint-Étienne-de-Tinée');

  const mail = await receiptMail('comptabilite@mairie-st-etienne.example', since);
  expect(mail.attachments?.some((a) => a.contentType === 'application/pdf')).toBeTruthy();

  await page.getByRole('link', { name: /Retour au relevé/ }).click();
  await expect(page.getByRole('article', { name: 'Facture F-2026-0408' })).toHaveCount(0);
  await expect(page.getByRole('list').filter({ hasText: amount }).first()).toBeVisible();
});

test('a declined card says why, then another card pays', async ({ page }) => {
  await openPay(page, 'C-1006', 'F-2026-0604', 'load');
  const amount = await amountOf(page);
  await typeCard(page, '4000000000000341');
  await page.getByRole('button', { name: `Payer ${amount}` }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'refusé' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Payer' })).toBeVisible();

  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: `Payer ${amount}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paiement reçu, merci !' })).toBeVisible();
});

test('a card that asks for 3-D Secure pays once the bank check is passed', async ({ page }) => {
  await openPay(page, 'C-1006', 'F-2026-0605', 'load');
  const amount = await amountOf(page);
  await typeCard(page, '4000002760003184');
  await page.getByRole('button', { name: `Payer ${amount}` }).click();
  // The sandbox's 3-D Secure dialog: once when the card is saved for this payment, once when charged.
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paiement reçu, merci !' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('pay by transfer: IBAN, RF reference and an EPC QR code that a banking app can read', async ({ page }) => {
    await page.goto(mintLink('C-1002'));
    await page.getByRole('link', { name: 'Payer', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Payer' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Payer par carte' })).toBeHidden();
    const transfer = page.getByRole('region', { name: 'Payer par virement' });
    await expect(transfer).toContainText('FR76 3000 6000 0112 3456 7890 189');
    const reference = (await transfer.locator('dd.mono.strong').innerText()).trim();
    expect(reference).toMatch(/^RF\d\d( [0-9A-Z]{1,4})+$/);

    const dir = mkdtempSync(join(tmpdir(), 'amiable-qr-'));
    try {
      const png = join(dir, 'qr.png');
      await transfer.getByRole('img', { name: 'Code QR de virement SEPA' }).screenshot({ path: png });
      const payload = execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' }).replace(/\n$/, '');
      const lines = payload.split('\n');
      expect(lines.slice(0, 7)).toEqual(['BCD', '002', '1', 'SCT', 'AGRIFRPP', 'Équipements Durand SAS', 'FR7630006000011234567890189']);
      expect(lines[7]).toMatch(/^EUR\d+\.\d\d$/);
      expect(lines[9]).toBe(reference.replace(/ /g, ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Change the payment: tick one invoice, no JavaScript needed.
    await page.getByRole('checkbox', { name: /F-2026-0204/ }).check();
    await page.getByRole('button', { name: 'Payer les factures cochées' }).click();
    const settles = page.getByRole('list', { name: 'Ce paiement règle' });
    await expect(settles.getByRole('listitem')).toHaveCount(1);
    await expect(settles).toContainText('F-2026-0204');
  });
});

test('the pay page on a 320 px phone, in English: nothing scrolls sideways, axe finds no violations', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(mintLink('C-1003'));
  await hydrated(page);
  await page.getByRole('link', { name: 'English' }).click();
  await hydrated(page);
  const wasm: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto('/pay?mode=all');
  await expect(page.getByRole('heading', { level: 1, name: 'Pay' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Pay by card' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Pay by bank transfer' })).toBeVisible();
  expect(wasm, 'the pay page works without downloading the app').toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  // The sandbox's own card inputs carry no labels (Stripe's real fields do): leave them out.
  const results = await new AxeBuilder({ page }).exclude('#card-element').analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);

  // A typed amount that cannot be read is explained, and the page still offers every choice.
  await page.getByLabel(/Pay another amount/).fill('12,345,6');
  await page.getByRole('button', { name: 'Pay this amount' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be read');
  await page.getByRole('link', { name: 'Français' }).click();
});
