import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mintLink } from './helpers';

// The demo's back-office account (server/src/demo.rs), on the demo creditor's data.
const EMAIL = 'admin@durand-equipements.example';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an agent signs in, finds a debtor by invoice number, and signs out', async ({ page }) => {
    await page.goto('/agent/login');
    await page.getByLabel('Adresse e-mail').fill(EMAIL);
    await page.getByLabel('Mot de passe').fill('not the password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert')).toContainText('mot de passe incorrect');
    await expect(page.getByLabel('Adresse e-mail')).toHaveValue(EMAIL);

    await page.getByLabel('Mot de passe').fill('durand-demo-2026');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Débiteurs' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('7 débiteurs');
    await page.getByLabel(/Rechercher/).fill('f-2026-0302');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await expect(page.getByRole('status')).toHaveText('1 débiteur');
    await expect(page.getByRole('article', { name: 'Northwind Catering Ltd' })).toBeVisible();

    await page.getByRole('button', { name: 'Quitter' }).click();
    await expect(page.getByRole('status')).toContainText('Vous êtes déconnecté');
    await page.goto('/agent');
    await expect(page.getByRole('alert')).toContainText('Connectez-vous');
  });
});

test('the sign-in page and the debtors list pass an axe scan on a 320 px phone', async ({ page, browser }) => {
  // Cases of this test's own, so the queue has a dispute and an unread message whatever else runs.
  const debtor = await (await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' })).newPage();
  await debtor.goto(mintLink('C-1004'));
  await debtor.goto('/disputes');
  await debtor.locator('input[name=invoice]').first().check();
  await debtor.getByLabel('Motif').selectOption('billing_error');
  await debtor.getByLabel('Expliquez-nous').fill('La livraison est arrivée incomplète : référence BL-2026-11-000451-XYZ.');
  await debtor.getByRole('button', { name: /Envoyer/ }).click();
  await expect(debtor).toHaveURL(/done=opened/);
  await debtor.goto(mintLink('C-1005'));
  await debtor.goto('/messages');
  await debtor.locator('textarea[name=message]').fill('Bonjour, pouvez-vous me rappeler ?');
  await debtor.getByRole('button', { name: /Envoyer/ }).click();
  await expect(debtor).toHaveURL(/done=sent/);

  await page.setViewportSize({ width: 320, height: 640 });
  const violations = async () =>
    (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
  await page.goto('/agent/reset');
  expect(await violations()).toEqual([]);
  await page.goto('/agent/password');
  expect(await violations()).toEqual([]);
  await page.goto('/agent/login');
  expect(await violations()).toEqual([]);
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill('durand-demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Débiteurs' })).toBeVisible();
  expect(await violations()).toEqual([]);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow()).toBe(0);
  // The queue, a debtor's page (statement, schedules, timeline) and the schedule rules.
  for (const link of ['À traiter', 'Règles', 'Inviter']) {
    await page.getByRole('link', { name: link, exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await violations()).toEqual([]);
    expect(await overflow()).toBe(0);
  }
  await page.goto('/agent');
  await page.getByRole('link', { name: 'Restaurant Ōkami' }).click();
  await expect(page.getByRole('heading', { name: 'Historique' })).toBeVisible();
  expect(await violations()).toEqual([]);
  expect(await overflow()).toBe(0);
});
