import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { agentSignIn, demoSql, hydrated, mintLink, pdfText, waitForMail } from './helpers';

// Payment schedules with the demo creditor's rules (the brief's example bands). Each test
// schedules invoices that no other test pays, so tests running side by side do not meet.

async function openSchedule(page: Page, debtor: string) {
  await page.goto(mintLink(debtor));
  await hydrated(page);
  await page.getByRole('link', { name: 'Proposer un échéancier' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Échéancier de paiement' })).toBeVisible();
  // The proposal form is an island: the tests below type into it live.
  await hydrated(page);
}

/** Ticks exactly these invoices. */
async function choose(page: Page, numbers: string[]) {
  const boxes = page.locator('input[name="invoice"]');
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  for (const n of numbers) await page.getByLabel(new RegExp(`Facture ${n} `)).check();
}

test('a proposal inside the rules: the browser says so as the debtor types, then it is accepted at once', async ({ page }) => {
  const since = new Date(Date.now() - 1000);
  await openSchedule(page, 'C-1004');
  await choose(page, ['F-2026-0404']);
  const check = page.locator('#proposal-check');
  await page.getByLabel('Nombre d’échéances').fill('2');
  await expect(check).toContainText('elle sera acceptée dès l’envoi');
  // Four instalments is more than this band allows: said before anything is sent.
  await page.getByLabel('Nombre d’échéances').fill('4');
  await expect(check).toContainText('plus de 3 échéances');
  await page.getByLabel('Nombre d’échéances').fill('0');
  await expect(check).toContainText('nombre entier de 1 à 60');
  await page.getByLabel('Nombre d’échéances').fill('2');
  // Edit the instalments one by one: amounts that do not add up are caught at once.
  await page.getByLabel('Choisir moi-même chaque date et chaque montant').check();
  await page.locator('#amount-1').fill('1');
  await expect(check).toContainText('Les échéances font');
  await page.getByLabel('Choisir moi-même chaque date et chaque montant').uncheck();
  await expect(check).toContainText('elle sera acceptée dès l’envoi');

  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByRole('status')).toContainText('Votre échéancier est accepté');
  await expect(page.getByRole('heading', { name: 'Votre échéancier' })).toBeVisible();
  const mail = await waitForMail('comptabilite@mairie-st-etienne.example', since, /échéancier/);
  expect(mail.subject).toContain('Votre échéancier est accepté');

  const dir = mkdtempSync(join(tmpdir(), 'schedule-'));
  try {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger l’échéancier (PDF)' }).click(),
    ]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^echeancier-E-[0-9A-F]+\.pdf$/);
    const text = pdfText(file);
    expect(text).toContain('Échéancier de paiement');
    expect(text).toContain('F-2026-0404');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('what the debtor types before the form comes alive (a slow phone) is what the live check reads', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  // C-1001's invoices are only read, never scheduled, by the tests here: the first test's
  // accepted schedule for C-1004 would leave this one no form, depending on which ends first.
  await page.goto(mintLink('C-1001'));
  await page.getByRole('link', { name: 'Proposer un échéancier' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Échéancier de paiement' })).toBeVisible();
  await choose(page, ['F-2026-0104']);
  await page.getByLabel('Nombre d’échéances').fill('4');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  release();
  await hydrated(page);
  await expect(page.locator('#proposal-check')).toContainText('plus de 3 échéances');
});

test('outside the rules: an agent counter-proposes, the debtor accepts from the link in the mail', async ({ page, browser }) => {
  const since = new Date(Date.now() - 1000);
  await openSchedule(page, 'C-1006');
  await choose(page, ['F-2026-0601', 'F-2026-0602']);
  await page.getByLabel('Nombre d’échéances').fill('12');
  await expect(page.locator('#proposal-check')).toContainText('une personne l’examinera');
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByRole('status')).toContainText('Une personne l’examine');

  // The agent, without JavaScript, from the queue.
  const agentContext = await browser.newContext({ javaScriptEnabled: false });
  const agent = await agentContext.newPage();
  await agentSignIn(agent);
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  const card = agent.getByRole('article', { name: /Restaurant Ōkami/ });
  await expect(card).toContainText('chaque échéancier est examiné par une personne');
  await card.getByRole('link', { name: /Ouvrir le dossier/ }).click();
  await agent.getByText('Faire une contre-proposition').first().click();
  await agent.getByLabel('Nombre d’échéances').fill('6');
  await agent.getByLabel('Message au débiteur (facultatif)').fill('Six mois au plus, merci.');
  await agent.getByRole('button', { name: 'Faire une contre-proposition' }).click();
  await expect(agent.getByRole('status')).toContainText('Le débiteur est prévenu');
  await agentContext.close();

  // The debtor opens the link in the counter-proposal mail, in a fresh browser.
  const mail = await waitForMail('kenji@okami-paris.example', since, /contre-proposition/);
  expect(mail.subject).toContain('contre-proposition');
  const link = new URL(mail.text.match(/https?:\/\/\S+\/l\/\S+/)![0]).pathname;
  const debtorContext = await browser.newContext();
  const debtor = await debtorContext.newPage();
  await debtor.goto(link);
  await hydrated(debtor);
  await debtor.goto('/schedule');
  await expect(debtor.getByRole('heading', { name: 'Une contre-proposition vous attend' })).toBeVisible();
  await expect(debtor.getByText('Six mois au plus, merci.')).toBeVisible();
  await expect(debtor.getByRole('list', { name: 'Échéances' })).toHaveCount(1);
  await expect(debtor.getByRole('list', { name: 'Échéances' }).getByRole('listitem')).toHaveCount(6);
  await debtor.getByRole('button', { name: 'Accepter cet échéancier' }).click();
  await expect(debtor.getByRole('status')).toContainText('Votre échéancier est accepté');

  // The first instalment, by card, saving the card for the next ones (charged on their dates
  // by the schedule job: server/tests/payments.rs drives that against the same sandbox).
  await debtor.getByRole('link', { name: /Payer l’échéance 1/ }).click();
  await expect(debtor.getByRole('heading', { name: 'Payer par carte' })).toBeVisible();
  const amount = (await debtor.locator('.big-amount').first().innerText()).trim();
  const field = debtor.locator('#card-element');
  await field.getByPlaceholder('number').fill('4242424242424242');
  await field.getByPlaceholder('exp_month').fill('12');
  await field.getByPlaceholder('exp_year').fill('34');
  await field.getByPlaceholder('cvc').fill('123');
  await debtor.getByLabel(/Utiliser cette carte pour les prochaines échéances/).check();
  await debtor.getByRole('button', { name: `Payer ${amount}` }).click();
  await expect(debtor.getByRole('heading', { level: 1, name: 'Paiement reçu, merci !' })).toBeVisible();
  await debtor.goto('/schedule');
  await expect(debtor.getByText('débitées automatiquement sur la carte enregistrée')).toBeVisible();
  await expect(debtor.getByRole('list', { name: 'Échéances' }).getByRole('listitem').first()).toContainText('payée');
  await debtorContext.close();
});

test('the schedule page on a 320 px phone, in English: nothing scrolls sideways, axe finds no violations', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(mintLink('C-1001'));
  await hydrated(page);
  await page.getByRole('link', { name: 'Propose a payment schedule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Payment schedule' })).toBeVisible();
  await page.getByLabel('Set each date and amount myself').check();
  await expect(page.locator('#proposal-check')).toBeVisible();
  const violations = (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
  expect(violations).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  await context.close();
});

test('a missed instalment breaks the schedule: the debtor is told, the invoices are due again, the case reaches the queue', async ({ page, browser }) => {
  const since = new Date(Date.now() - 1000);
  await openSchedule(page, 'C-1007');
  await page.getByLabel('Nombre d’échéances').fill('2');
  await expect(page.locator('#proposal-check')).toContainText('elle sera acceptée dès l’envoi');
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByRole('status')).toContainText('Votre échéancier est accepté');

  // The test's clock: the first instalment fell due ten days ago, past the seven days' grace.
  // Then the schedule job runs, as the server runs it every few minutes.
  demoSql(`UPDATE schedule_instalments SET due_date = date('now', '-10 days') WHERE seq = 1 AND schedule_id IN
    (SELECT s.id FROM schedules s JOIN debtors d ON d.id = s.debtor_id WHERE d.reference = 'C-1007' AND s.status = 'accepted')`);
  const out = execFileSync(process.env.SERVER_BIN!, ['schedules', 'follow'], { encoding: 'utf8' });
  expect(out).toMatch(/broken [1-9]/);

  const mail = await waitForMail('leon@patisserie-leon.example', since, /a pris fin/);
  expect(mail.text).toContain('de nouveau à régler');
  await page.goto('/schedule');
  await expect(page.getByText('Votre échéancier a pris fin')).toBeVisible();
  await page.goto('/statement');
  await hydrated(page);
  await expect(page.getByText('dont échu')).toBeVisible();

  const agentContext = await browser.newContext({ javaScriptEnabled: false });
  const agent = await agentContext.newPage();
  await agentSignIn(agent);
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  const card = agent.getByRole('article', { name: /Pâtisserie Léon/ });
  await expect(card).toContainText('rompu');
  await card.getByRole('link', { name: /Ouvrir le dossier/ }).click();
  await agent.getByRole('button', { name: 'Marquer comme traité' }).click();
  await expect(agent.getByRole('status')).toContainText('C’est fait');
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  await expect(agent.getByRole('article', { name: /Pâtisserie Léon/ })).toHaveCount(0);
  await agentContext.close();
});

/** A date `days` from today, as `<input type="date">` takes it. */
function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('the browser (Wasm) and the server (native) give the same verdict on every rule of every band', async ({ browser }) => {
  // Each case: invoices, number, rhythm, first date. Read the verdict the Wasm shows as the
  // debtor types, then the verdict the server renders after "Vérifier" with JavaScript off.
  const cases: [string[], string, string, string][] = [
    [['F-2026-0104'], '2', 'monthly', inDays(3)], // band 1: accepted at once
    [['F-2026-0104'], '4', 'monthly', inDays(3)], // band 1: too many instalments
    [['F-2026-0104'], '3', 'monthly', inDays(45)], // band 1: last one past 60 days
    [['F-2026-0101', 'F-2026-0102'], '6', 'monthly', inDays(3)], // band 2: first below 20 %
    [['F-2026-0101', 'F-2026-0102'], '2', 'weekly', inDays(10)], // band 2: first after 7 days
    [['F-2026-0101', 'F-2026-0102'], '3', 'fortnightly', inDays(2)], // band 2: accepted at once
    [['F-2026-0103'], '12', 'monthly', inDays(5)], // band 3: a person always decides
    [['F-2026-0104'], '0', 'monthly', inDays(3)], // refused: no instalment
    [['F-2026-0104'], '2', 'monthly', inDays(-2)], // refused: in the past
  ];
  const js = await browser.newContext();
  const wasm = await js.newPage();
  await wasm.goto(mintLink('C-1001'));
  await hydrated(wasm);
  await wasm.goto('/schedule');
  await hydrated(wasm);
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const server = await plain.newPage();
  await server.goto(mintLink('C-1001'));
  for (const [invoices, count, rhythm, first] of cases) {
    const verdicts: string[] = [];
    for (const page of [wasm, server]) {
      if (page === server) await page.goto('/schedule');
      await choose(page, invoices);
      await page.getByLabel('Nombre d’échéances').fill(count);
      await page.getByLabel('Rythme').selectOption(rhythm);
      await page.getByLabel('Date de la première échéance').fill(first);
      if (page === server) {
        await page.getByRole('button', { name: 'Vérifier' }).click();
        await page.waitForURL(/check=1/);
      }
      // The text, not its layout: innerText would depend on whether the stylesheet has loaded.
      verdicts.push(((await page.locator('.verdict').textContent()) ?? '').replace(/\s+/g, ' ').trim());
    }
    expect(verdicts[0], `${invoices} × ${count} ${rhythm} from ${first}`).not.toBe('');
    expect(verdicts[1], `${invoices} × ${count} ${rhythm} from ${first}`).toBe(verdicts[0]);
  }
  await js.close();
  await plain.close();
});

test('a promise to pay, missed: the debtor is reminded by mail and the case reaches the queue', async ({ page, browser }) => {
  const since = new Date(Date.now() - 1000);
  await page.goto(mintLink('C-1002'));
  await hydrated(page);
  await page.getByRole('link', { name: 'Promettre un paiement' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Promettre un paiement' })).toBeVisible();
  await page.setViewportSize({ width: 320, height: 640 });
  expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await page.getByLabel('Montant').fill('100,00');
  await page.getByLabel('Payé au plus tard le').fill(inDays(3));
  await page.getByRole('button', { name: 'Enregistrer ma promesse' }).click();
  await expect(page.getByRole('status')).toContainText('C’est noté');
  await expect(page.getByText(/Vous avez promis de payer 100,00/)).toBeVisible();

  // The test's clock: the date passes without a payment; the job runs.
  demoSql(`UPDATE promises SET promised_for = date('now', '-1 day') WHERE status = 'open' AND debtor_id IN
    (SELECT id FROM debtors WHERE reference = 'C-1002')`);
  expect(execFileSync(process.env.SERVER_BIN!, ['promises', 'follow'], { encoding: 'utf8' })).toMatch(/missed [1-9]/);
  const mail = await waitForMail('direction@hotel-cotedazur.example', since, /paiement promis/);
  expect(mail.text).toContain('100,00');

  const agentContext = await browser.newContext({ javaScriptEnabled: false });
  const agent = await agentContext.newPage();
  await agentSignIn(agent);
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  const card = agent.getByRole('article', { name: /Hôtel Côte d’Azur SARL/ });
  await expect(card).toContainText('promesse non tenue');
  await card.getByRole('button', { name: 'Marquer comme traité' }).click();
  await expect(agent.getByRole('article', { name: /Hôtel Côte d’Azur SARL — promesse/ })).toHaveCount(0);
  await agentContext.close();
});
