import { test, expect } from '@playwright/test';
import { hydrated, mintLink, waitForMail } from './helpers';

test('an expired link asks for a fresh one, which arrives by mail and works', async ({ page }) => {
  const since = new Date(Date.now() - 1000);
  await page.goto(mintLink('C-1002', ['--expires-in-secs', '0']));
  await expect(page.getByRole('heading', { level: 1, name: 'Ce lien a expiré' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'M’envoyer un nouveau lien' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vérifiez votre messagerie' })).toBeVisible();

  // Both contacts of the Hôtel Côte d’Azur get it; read the first one's.
  const mail = await waitForMail('factures@hotel-cotedazur.example', since);
  expect(mail.subject).toContain('Votre nouveau lien d’accès');
  const fresh = mail.text.match(/https?:\/\/\S+\/l\/[A-Za-z0-9._-]+/)![0];
  await page.goto(new URL(fresh).pathname);
  await expect(page).toHaveURL(/\/statement$/);
  await expect(page.getByText('Bonjour Hôtel Côte d’Azur SARL')).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a broken link says so; a mistyped address is refused and kept in the field', async ({ page }) => {
    const good = mintLink('C-1003');
    await page.goto(good.slice(0, -4)); // cut short, as when a line break splits a link
    await expect(page.getByRole('heading', { level: 1, name: 'Ce lien est incomplet ou incorrect' })).toBeVisible();
    const field = page.getByLabel('Adresse e-mail');
    await field.fill('ap@northwind-catering'); // no dot in the domain
    // The browser's own check would stop this; we test the server's, as a script-less client would hit it.
    await page.locator('form').filter({ has: field }).evaluate((f: HTMLFormElement) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'M’envoyer un nouveau lien' }).click();
    await expect(page.getByRole('alert')).toContainText('ne semble pas valide');
    await expect(page.getByLabel('Adresse e-mail')).toHaveValue('ap@northwind-catering');
  });
});
