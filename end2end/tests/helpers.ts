import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';

/** Mints a link with the server's own command line, against the database the portal serves. */
export function mintLink(debtorRef: string, extra: string[] = []): string {
  const bin = process.env.SERVER_BIN;
  if (!bin) throw new Error('SERVER_BIN is not set: run the browser tests with `make test`');
  const out = execFileSync(bin, ['links', 'mint', 'durand', debtorRef, ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const url = out.trim().split('\n').pop()!;
  // The path only: the test's baseURL decides the host.
  return new URL(url).pathname;
}

/** The text of a PDF, as a real PDF reader (poppler's pdftotext) extracts it. */
/** Runs SQL on the demo server's SQLite database (the browser tests' way to let days pass).
 *  The server writes to it meanwhile: wait for its lock as the server does (busy timeout),
 *  instead of failing at once with "database is locked" (seen in CI). */
export function demoSql(sql: string): void {
  const db = process.env.DATABASE_URL!.replace(/^sqlite:\/\//, '').replace(/\?.*$/, '');
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, sql]);
}

export function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** Waits until the page's islands, if it has any, are live in the browser. A page without an
 *  island loads no Wasm at all: there is nothing to wait for. */
export async function hydrated(page: Page) {
  await page.waitForLoadState('load');
  if ((await page.locator('leptos-island').count()) > 0) {
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  }
}

/** The `.wasm` files a page requests while `action` runs. */
export async function wasmRequested(page: Page, action: () => Promise<unknown>): Promise<string[]> {
  const wasm: string[] = [];
  const listener = (r: { url(): string }) => { if (r.url().includes('.wasm')) wasm.push(r.url()); };
  page.on('request', listener);
  await action();
  await page.waitForLoadState('networkidle');
  page.off('request', listener);
  return wasm;
}

type Mail = { subject: string; text: string; date: string; to: { address: string }[] };

/** Waits for a mail to `to` that arrived after `since` (and whose subject matches, if given),
 *  in the real SMTP server's API. */
export async function waitForMail(to: string, since: Date, subject?: RegExp): Promise<Mail> {
  const api = process.env.MAILDEV_API;
  if (!api) throw new Error('MAILDEV_API is not set: run the browser tests with `make test`');
  for (let i = 0; i < 60; i++) {
    const all: Mail[] = await (await fetch(`${api}/email`)).json();
    const mine = all.filter((m) => (m.to ?? []).some((t) => t.address === to) && new Date(m.date) >= since && (!subject || subject.test(m.subject)));
    if (mine.length > 0) return mine[mine.length - 1];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} arrived`);
}

/** Signs in as the demo creditor's admin (server/src/demo.rs). */
export async function agentSignIn(page: Page) {
  await page.goto('/agent/login');
  await page.getByLabel('Adresse e-mail').fill('admin@durand-equipements.example');
  await page.getByLabel('Mot de passe').fill('durand-demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Débiteurs' })).toBeVisible();
}
