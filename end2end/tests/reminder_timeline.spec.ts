import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { agentSignIn } from './helpers';

// The reminder `serve --demo` sends at start to Restaurant Ōkami (C-1006, overdue 95 and 62
// days), opened from the mail catcher as the debtor; then, as an agent, which email was opened
// and a pause of one of its invoices. The paused invoice (F-2026-0606, due in 25 days) is one no
// other test reads, so the pause changes nothing another test sees.
const DEBTOR = 'Restaurant Ōkami';
const CONTACT = 'kenji@okami-paris.example';

/** The path of the newest portal link this server mailed to `to` (the mail catcher is shared
 *  with other servers: only a link to this one's address counts). */
async function reminderLink(to: string): Promise<string> {
  const base = process.env.BASE_URL ?? '';
  for (let i = 0; i < 60; i++) {
    const all: { text: string; to: { address: string }[] }[] = await (await fetch(`${process.env.MAILDEV_API}/email`)).json();
    const ours = all.filter((m) => (m.to ?? []).some((t) => t.address === to) && m.text.includes(`${base}/l/`));
    const m = ours.pop()?.text.match(/\/l\/[A-Za-z0-9._-]+/);
    if (m) return m[0];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no reminder with a link to ${base} reached ${to}`);
}

test('a debtor opens the reminder from the mail catcher; the agent sees it opened and pauses an invoice', async ({ page, browser }) => {
  const path = await reminderLink(CONTACT);
  const debtor = await (await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' })).newPage();
  await debtor.goto(path);
  await expect(debtor.getByRole('heading', { level: 1, name: 'Relevé de compte' })).toBeVisible();

  await agentSignIn(page);
  await page.getByRole('link', { name: DEBTOR }).click();
  const reminders = page.getByRole('region', { name: 'Relances', exact: true });
  await expect(reminders).toBeVisible();
  // The email this link came in is the one shown opened, at a time, to the minute.
  await expect(reminders).toContainText(/Lien ouvert\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(reminders).toContainText('remis au serveur de messagerie');

  const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const pauses = page.getByRole('region', { name: 'Pauses des relances' });
  await pauses.getByLabel('Mettre en pause').selectOption({ label: 'F-2026-0606' });
  await pauses.getByLabel('Motif de la pause').fill('En attente du bon de commande signé');
  await pauses.getByLabel('Jusqu’au (inclus)').fill(until);
  await pauses.getByRole('button', { name: 'Mettre les relances en pause' }).click();
  await expect(page).toHaveURL(/done=reminders#pauses$/);
  await expect(page.getByRole('status').filter({ hasText: 'C’est fait.' })).toBeVisible();
  await expect(pauses.getByRole('listitem').filter({ hasText: 'En attente du bon de commande signé' })).toContainText('F-2026-0606');
  const timeline = page.getByRole('region', { name: 'Historique' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'relances mises en pause' }).last()).toContainText('En attente du bon de commande signé');

  // The debtor's page and the queue on a 320 px phone: no axe violation, no sideways scroll.
  await page.setViewportSize({ width: 320, height: 640 });
  const violations = async () =>
    (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await violations()).toEqual([]);
  expect(await overflow()).toBe(0);
  await page.goto('/agent/queue');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await violations()).toEqual([]);
  expect(await overflow()).toBe(0);
  if (process.env.SHOTS) {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: `${process.env.SHOTS}/queue.png`, fullPage: true });
    await page.goBack();
    await page.screenshot({ path: `${process.env.SHOTS}/debtor.png`, fullPage: true });
  }
});
