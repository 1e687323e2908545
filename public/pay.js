// Card payment on /pay: the card goes to Stripe (Stripe.js, which this file loads), never to
// us. The pay page is plain server-rendered HTML (no Wasm), so nothing else touches its DOM. Our server computes the amount, charges the confirmed card, and says what
// happened. Without JavaScript this never runs and the page offers the bank transfer.
(function () {
  'use strict';
  var section = document.getElementById('card-pay');
  if (!section) return;
  // Only known while this file runs: scripts we add must carry the page's CSP nonce.
  var nonce = document.currentScript && document.currentScript.nonce;

  function newAttemptId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function loadStripe(then) {
    if (typeof window.Stripe === 'function') return then();
    var s = document.createElement('script');
    s.src = section.dataset.stripeJs;
    if (nonce) s.nonce = nonce;
    s.onload = function () { if (typeof window.Stripe === 'function') then(); };
    // Without Stripe.js the card form stays hidden; the bank transfer is on the page.
    document.head.appendChild(s);
  }

  loadStripe(start);

  function start() {
    var stripe = window.Stripe(section.dataset.key, { locale: section.dataset.lang });
    var card = stripe.elements({ locale: section.dataset.lang }).create('card', { hidePostalCode: true });
    card.mount('#card-element');
    section.hidden = false;

    var form = document.getElementById('card-form');
    var button = document.getElementById('card-submit');
    var message = document.getElementById('card-message');
    // Fixed for this page: a double-click, or a retry after a network error, is the same attempt.
    var attempt = section.dataset.attempt;

    function say(text, isError) {
      message.textContent = text;
      message.hidden = !text;
      message.classList.toggle('error', !!isError);
    }

    async function post(path, body) {
      var res = await fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
      var json = await res.json().catch(function () { return {}; });
      if (!res.ok) return { status: 'failed', message: json.message || section.dataset.error, retry: res.status !== 409 };
      return json;
    }

    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      form.setAttribute('aria-busy', 'true');
      say(section.dataset.working, false);
      var step;
      try {
        // Paying an instalment: the debtor may let the next ones be charged to this card.
        var save = document.getElementById('save-card');
        var request = section.dataset.request + (save && save.checked ? '&save_card=1' : '');
        step = await post('/pay/card/start', { attempt: attempt, request: request });
        if (step.status === 'setup') {
          var setup = await stripe.confirmCardSetup(step.client_secret, { payment_method: { card: card } });
          if (setup.error) {
            step = { status: 'failed', retry: true,
              message: setup.error.code === 'card_declined' ? section.dataset.declined : (setup.error.message || section.dataset.declined) };
          } else {
            step = await post('/pay/card/charge', { attempt: attempt });
          }
        }
        for (var i = 0; i < 30 && (step.status === 'requires_action' || step.status === 'processing'); i++) {
          if (step.status === 'requires_action') {
            // 3-D Secure in Stripe's own window; then our server asks Stripe how it went.
            await stripe.confirmCardPayment(step.client_secret);
          } else {
            say(step.message, false);
            await sleep(2000);
          }
          step = await post('/pay/card/charge', { attempt: attempt });
        }
      } catch (e) {
        step = { status: 'failed', message: section.dataset.error, retry: false };
      }
      form.removeAttribute('aria-busy');
      if (step.status === 'succeeded') {
        window.location.assign(step.receipt_url);
        return;
      }
      say(step.message || section.dataset.error, true);
      // A declined card ends its attempt: the next try is a new one.
      if (step.retry) attempt = newAttemptId();
      button.disabled = false;
    });
  }
})();
