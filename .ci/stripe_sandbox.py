"""Starts localstripe (a stateful Stripe-compatible test server, PyPI) for tests and the demo.

Usage: python stripe_sandbox.py PORT

Differences from `localstripe` itself, each kept as small as possible:
- listens on 127.0.0.1 only, on the port given;
- keeps its state in memory (the CLI pickles it to one fixed file in /tmp on every write,
  which two runs on one machine would share);
- adds the fields real Stripe always sends and async-stripe's typed objects require, which
  localstripe 1.15 omits: PaymentIntent.amount_capturable / amount_received /
  confirmation_method / payment_method_types, last_payment_error.type,
  Event.pending_webhooks / request, and
  sends PaymentIntent.latest_charge as an id (Stripe does unless asked to expand it).
  The webhook payload is built by the same export, so signatures stay valid;
- serves its replacement Stripe.js wrapped in a function: as published, its top-level
  `class Element` replaces the browser's global `Element` for every script in the page, which
  breaks wasm-bindgen's `instanceof Element` checks and so Leptos's hydration. Real Stripe.js
  defines only `Stripe`;
- sends each event to the webhooks registered when it is sent, from a copy of that list:
  localstripe walks its live dict while awaiting each delivery, so a webhook registered
  meanwhile (every test registers its creditor's) ended the walk with "dictionary changed
  size during iteration" and the remaining webhooks never got the event (seen once in 18
  soak runs as two payment tests failing).
"""

import sys

from aiohttp import web
from localstripe import resources, server
from localstripe import webhooks as _webhooks_module

class _SnapshotDict(dict):
    """`values()` is a copy: safe to walk while others register."""

    def values(self):
        return list(super().values())


_webhooks_module._webhooks = _SnapshotDict(_webhooks_module._webhooks)

resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None

_pi_export = resources.PaymentIntent._export


def _payment_intent_export(self, expand=None):
    obj = _pi_export(self, expand=expand)
    charge = obj.get('latest_charge')
    if isinstance(charge, dict) and 'latest_charge' not in (expand or []):
        obj['latest_charge'] = charge['id']
    succeeded = obj.get('status') == 'succeeded'
    obj.setdefault('amount_received', obj['amount'] if succeeded else 0)
    obj.setdefault('amount_capturable', 0)
    obj.setdefault('confirmation_method', 'automatic')
    obj.setdefault('payment_method_types', ['card'])
    obj.pop('charges', None)  # deprecated list, not in current API versions
    if isinstance(obj.get('last_payment_error'), dict):
        obj['last_payment_error'].setdefault('type', 'card_error')
    return obj


resources.PaymentIntent._export = _payment_intent_export

_event_export = resources.Event._export


def _event_export_full(self, expand=None):
    obj = _event_export(self, expand=expand)
    obj.setdefault('pending_webhooks', 1)
    obj.setdefault('request', {'id': None, 'idempotency_key': None})
    return obj


resources.Event._export = _event_export_full

@web.middleware
async def _scoped_stripe_js(request, handler):
    response = await handler(request)
    if request.path == '/js.stripe.com/v3/' and isinstance(response, web.Response) and response.text:
        response.text = '(function () {\n' + response.text + '\nwindow.Stripe = Stripe;\n})();\n'
    return response


server.app.middlewares.append(_scoped_stripe_js)

if __name__ == '__main__':
    web.run_app(server.app, host='127.0.0.1', port=int(sys.argv[1]), access_log=None,
                print=lambda *_: print('localstripe listening on 127.0.0.1:%s' % sys.argv[1], flush=True))
