import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { agentSignIn, hydrated, mintLink, waitForMail } from './helpers';

// Disputes and messages in Chromium. Northwind (C-1003, English mails) contests its euro
// invoice F-2026-0303, which no other test touches; Pâtisserie Léon (C-1007) writes a message.

/** A small, well-formed PDF, as a scanner would make it. */
function deliveryNote(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
}

/** The statement's overdue line ("dont échu …"), or '' when nothing is overdue. */
async function overdue(page: Page): Promise<string> {
  await page.goto('/statement');
  await hydrated(page);
  const lines = page.locator('.overdue-line');
  return (await lines.count()) === 0 ? '' : (await lines.allTextContents()).join(' | ');
}

test('contest an invoice with a file; an agent gives it to an owner and rejects it; the invoice is due again', async ({ page, browser }) => {
  const since = new Date(Date.now() - 1000);
  await page.goto(mintLink('C-1003'));
  await hydrated(page);
  const before = await overdue(page);
  expect(before).toContain('€');

  await page.getByRole('link', { name: 'Contester une facture' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contester une facture' })).toBeVisible();
  await page.setViewportSize({ width: 320, height: 640 });
  await axe(page);
  await noSidewaysScroll(page);
  await page.getByRole('checkbox', { name: /F-2026-0303/ }).check();
  await page.getByLabel('Motif').selectOption({ label: 'Problème de qualité' });
  await page.getByLabel('Expliquez-nous').fill('La vitrine est arrivée rayée. <b>Photos</b> jointes.');
  await page.getByLabel('Pièces jointes (PDF, PNG ou JPEG)').setInputFiles({ name: 'constat livraison.pdf', mimeType: 'application/pdf', buffer: deliveryNote() });
  await page.getByRole('button', { name: 'Envoyer ma contestation' }).click();
  await expect(page.getByRole('status')).toContainText('Votre contestation est enregistrée');
  await expect(page.getByText('La vitrine est arrivée rayée. <b>Photos</b> jointes.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'constat livraison.pdf' })).toBeVisible();
  await axe(page);
  await noSidewaysScroll(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'constat livraison.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('constat livraison.pdf');
  const received = await waitForMail('ap@northwind-catering.example', since, /Your dispute is recorded/);
  expect(received.text).toContain('F-2026-0303');

  // The contested invoice is shown as such and no longer counted as overdue.
  await page.setViewportSize({ width: 1280, height: 800 });
  const during = await overdue(page);
  expect(during).not.toEqual(before);
  await expect(page.getByRole('listitem').filter({ hasText: 'F-2026-0303' })).toContainText('Contestée');

  // The agent: queue, owner, rejection with an explanation (axe needs JavaScript to scan; the
  // message test below runs the back office without it).
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await agentSignIn(agent);
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  const card = agent.getByRole('article', { name: /Northwind Catering Ltd — Problème de qualité/ });
  await card.getByRole('link', { name: /Ouvrir/ }).click();
  await expect(agent.getByRole('heading', { level: 1, name: /Contestation — Northwind/ })).toBeVisible();
  await axe(agent);
  await agent.getByLabel('Confiée à').selectOption({ label: 'Logistique <logistique@durand-equipements.example>' });
  await agent.getByRole('button', { name: 'Confier' }).click();
  await expect(agent.getByRole('status')).toBeVisible();
  const owner = await waitForMail('logistique@durand-equipements.example', since, /Une contestation vous est confiée/);
  expect(owner.text).toContain('Northwind Catering Ltd');
  // A reply with the signed delivery note, which the debtor can open.
  await agent.getByLabel('Réponse au débiteur (envoyée par e-mail)').check();
  await agent.getByLabel('Ajouter un message').fill('Voici le bon de livraison signé.');
  await agent.getByLabel('Pièces jointes (PDF, PNG ou JPEG)').setInputFiles({ name: 'BL signé 0303.pdf', mimeType: 'application/pdf', buffer: deliveryNote() });
  await agent.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(agent.getByRole('status')).toBeVisible();
  await expect(agent.getByRole('link', { name: 'BL signé 0303.pdf' })).toBeVisible();
  await agent.getByLabel('Décision').selectOption('rejected');
  await agent.getByLabel('Explication pour le débiteur').fill('Le bon de livraison est signé sans réserve.');
  await agent.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(agent.getByRole('status')).toBeVisible();
  await expect(agent.getByText('non retenue')).toBeVisible();
  await agentContext.close();

  const resolved = await waitForMail('ap@northwind-catering.example', since, /Your dispute is resolved/);
  expect(resolved.text).toContain('Le bon de livraison est signé sans réserve.');
  const replied = await waitForMail('ap@northwind-catering.example', since, /An answer about your dispute/);
  expect(replied.text).toContain('BL signé 0303.pdf');
  await page.goto('/disputes');
  await page.getByRole('article').filter({ hasText: 'F-2026-0303' }).getByRole('link').first().click();
  const [note] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'BL signé 0303.pdf' }).click()]);
  expect(note.suggestedFilename()).toBe('BL signé 0303.pdf');
  // Back in the amount due.
  expect(await overdue(page)).toEqual(before);
  await expect(page.getByRole('listitem').filter({ hasText: 'F-2026-0303' })).not.toContainText('Contestée');
});

test('a message and its answer, each side told by mail; the queue counts what is unread', async ({ page, browser }) => {
  const since = new Date(Date.now() - 1000);
  await page.goto(mintLink('C-1007'));
  await hydrated(page);
  await page.getByRole('link', { name: 'Nous écrire' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Écrire à notre équipe' })).toBeVisible();
  await axe(page);
  await page.getByLabel('Votre message').fill('Bonjour, le virement part vendredi.');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await expect(page.getByRole('status')).toContainText('Votre message est envoyé');
  const toTeam = await waitForMail('recouvrement@durand-equipements.example', since, /Message de Pâtisserie Léon/);
  expect(toTeam.text).toContain('le virement part vendredi');

  const agentContext = await browser.newContext({ javaScriptEnabled: false });
  const agent = await agentContext.newPage();
  await agentSignIn(agent);
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  const line = agent.getByRole('listitem').filter({ hasText: 'Pâtisserie Léon' }).filter({ hasText: 'non lu' });
  await expect(line).toContainText('1 message non lu');
  await line.getByRole('link', { name: /Ouvrir/ }).click();
  await expect(agent.getByText('Bonjour, le virement part vendredi.')).toBeVisible();
  await agent.getByLabel('Répondre au débiteur (envoyé par e-mail)').fill('Merci, bien noté.');
  await agent.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await expect(agent.getByRole('status')).toBeVisible();
  await agent.getByRole('link', { name: 'À traiter' }).first().click();
  await expect(agent.getByRole('listitem').filter({ hasText: 'Pâtisserie Léon' }).filter({ hasText: 'non lu' })).toHaveCount(0);
  await agentContext.close();

  const answer = await waitForMail('leon@patisserie-leon.example', since, /Réponse à votre message/);
  expect(answer.text).toContain('Merci, bien noté.');
  await page.goto('/messages');
  await expect(page.getByText('Merci, bien noté.')).toBeVisible();
});

test('six big phone photos at once: the page says they are too heavy and keeps the text', async ({ page }) => {
  // 6 × 5 MiB is over what the portal reads in one form (25 MiB). The server reads the upload
  // to its end before answering, so the browser shows our page, not a network error.
  await page.goto(mintLink('C-1007'));
  await hydrated(page);
  await page.goto('/disputes');
  await page.locator('input[name="invoice"]').first().check();
  await page.getByLabel('Motif').selectOption({ label: 'Problème de qualité' });
  await page.getByLabel('Expliquez-nous').fill('Les gâteaux sont arrivés écrasés, voici les photos.');
  const photo = (n: number) => ({ name: `IMG_00${n}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.alloc(5 * 1024 * 1024, 0xff) });
  await page.getByLabel('Pièces jointes (PDF, PNG ou JPEG)').setInputFiles([1, 2, 3, 4, 5, 6].map(photo));
  await page.getByRole('button', { name: 'Envoyer ma contestation' }).click();
  await expect(page.getByRole('alert')).toContainText('trop lourdes pour être reçues');
  await expect(page.getByLabel('Expliquez-nous')).toHaveValue('Les gâteaux sont arrivés écrasés, voici les photos.');
  await expect(page).toHaveURL(/\/disputes\?error=1$/);
});
