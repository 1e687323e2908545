import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { agentSignIn } from './helpers';

// The admin's reminder pages are plain forms answered by the server (they load no script of
// ours); JavaScript stays on only because axe runs in the page.
test.use({ locale: 'fr-FR' });

async function violations(page: Page) {
  return (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('an admin edits a step, previews it in both languages, saves it and simulates the next days', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 320, height: 640 });
  await agentSignIn(page);
  // From the debtors list, where an agent lands, through the back office's navigation.
  await page.getByRole('link', { name: 'Relances', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Relances : réglages et scénarios' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  expect(await overflow(page)).toBe(0);

  // A segment of this test's own, so no demo debtor follows what it saves.
  const segment = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel('Nom du segment').fill(segment);
  await page.getByRole('button', { name: 'Créer le scénario' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Scénario du segment « ${segment} »` })).toBeVisible();

  const step2 = page.getByRole('group', { name: 'Étape 2' });
  await step2.getByLabel('Objet (français)').fill('Votre facture attend, {{ debtor.name }}');
  await step2.getByLabel('Objet (anglais)').fill('Your invoice is waiting, {{ debtor.name }}');
  await step2.getByRole('button', { name: "Aperçu de l'étape 2" }).click();

  const preview = page.getByRole('region', { name: /Aperçu de l'étape 2 pour/ });
  await expect(preview).toBeVisible();
  const fr = preview.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Français' }) });
  const en = preview.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Anglais' }) });
  await expect(fr).toContainText('Votre facture attend, ');
  await expect(fr).toContainText('Sauf erreur de notre part');
  await expect(fr).toContainText('€');
  await expect(en).toContainText('Your invoice is waiting, ');
  await expect(en).toContainText('Unless we are mistaken');
  // The edits are still in the form, not saved yet.
  await expect(page.getByRole('group', { name: 'Étape 2' }).getByLabel('Objet (anglais)')).toHaveValue('Your invoice is waiting, {{ debtor.name }}');
  expect(await violations(page)).toEqual([]);
  expect(await overflow(page)).toBe(0);

  // A mistake is refused with where it is, and what was typed stays.
  await page.getByRole('group', { name: 'Étape 3' }).getByLabel('Objet (français)').fill('Relance {{ debiteur }}');
  await page.getByRole('button', { name: 'Enregistrer le scénario' }).click();
  await expect(page.getByRole('alert')).toContainText('Étape 3, objet en français, ligne 1 : variable inconnue.');
  await expect(page.getByRole('group', { name: 'Étape 3' }).getByLabel('Objet (français)')).toHaveValue('Relance {{ debiteur }}');
  await page.getByRole('group', { name: 'Étape 3' }).getByLabel('Objet (français)').fill('Deuxième relance');
  await page.getByRole('button', { name: 'Enregistrer le scénario' }).click();
  await expect(page.getByRole('status')).toContainText('Scénario enregistré.');
  await expect(page.getByRole('group', { name: 'Étape 2' }).getByLabel('Objet (français)')).toHaveValue('Votre facture attend, {{ debtor.name }}');
  await expect(page.getByText('Ce segment suit le scénario par défaut')).toHaveCount(0);

  // The simulation of the demo's debtors (the standard scenario), by the run's own code.
  await page.getByRole('link', { name: 'Relances', exact: true }).click();
  await expect(page.getByRole('link', { name: new RegExp(`^${segment} — `) })).toBeVisible();
  await page.getByRole('link', { name: 'Simuler standard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Simulation des relances' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Relances prévues' });
  await expect(table).toBeVisible();
  expect(await table.getByRole('row').count()).toBeGreaterThan(1);
  await expect(table.getByRole('cell', { name: 'courriel', exact: true }).first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
  expect(await overflow(page)).toBe(0);
});
