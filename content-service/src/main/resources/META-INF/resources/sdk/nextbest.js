/*
 * NextBest web SDK. Include it with the site's publishable key
 *   <script src="https://content.example.com/sdk/nextbest.js" data-site-key="pk_…" defer></script>
 * and mark the slots to personalise:
 *   <div data-nextbest-placement="home-hero">fallback markup</div>
 * Each slot is filled from GET /api/v1/content/{placement}; the fallback markup stays when the call
 * fails. Visitors keep an anonymous id until identify(customerId) is called. Rendered content is
 * reported as an impression, clicks on its call to action as clicks.
 */
(function (window, document) {
  'use strict';
  var script = document.currentScript;
  var endpoint = (script && script.getAttribute('data-endpoint')) ||
    (script && script.src ? new URL(script.src, window.location.href).origin : window.location.origin);
  var siteKey = (script && script.getAttribute('data-site-key')) || '';
  var ANON = 'nextbest.anonymousId';
  var CUSTOMER = 'nextbest.customerId';

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function randomId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return 'x' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function anonymousId() {
    var s = storage();
    var id = s && s.getItem(ANON);
    if (!id) {
      id = 'anon-' + randomId();
      if (s) { s.setItem(ANON, id); }
    }
    return id;
  }

  function customerId() {
    var s = storage();
    return (s && s.getItem(CUSTOMER)) || anonymousId();
  }

  function send(event) {
    return fetch(endpoint + '/api/v1/content/events?key=' + encodeURIComponent(siteKey), {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event)
    }).then(function (r) { return r.ok; }).catch(function () { return false; });
  }

  function track(type, decisionId, value) {
    if (!decisionId) { return Promise.resolve(false); }
    var event = { id: randomId(), type: type, decisionId: decisionId, customerId: customerId() };
    if (type === 'conversion' && typeof value === 'number') { event.value = value; }
    return send(event);
  }

  function fill(slot) {
    var placement = slot.getAttribute('data-nextbest-placement');
    var query = new URLSearchParams({ customerId: customerId(), channel: 'web', key: siteKey });
    var locale = slot.getAttribute('data-nextbest-locale') || document.documentElement.lang ||
      navigator.language;
    if (locale) { query.set('locale', locale); }
    query.set('page', window.location.pathname);
    return fetch(endpoint + '/api/v1/content/' + encodeURIComponent(placement) + '?' + query)
      .then(function (r) { if (!r.ok) { throw new Error('content ' + r.status); } return r.json(); })
      .then(function (content) {
        slot.innerHTML = content.html; // escaped by the service
        slot.setAttribute('data-nextbest-decision', content.decisionId || '');
        slot.setAttribute('data-nextbest-campaign', content.campaignId || '');
        slot.setAttribute('data-nextbest-variant', content.variantId || '');
        var cta = slot.querySelector('.nb-cta');
        if (cta && content.decisionId) {
          cta.addEventListener('click', function () {
            slot.setAttribute('data-nextbest-clicked', 'pending');
            track('click', content.decisionId).then(function (ok) {
              slot.setAttribute('data-nextbest-clicked', ok ? 'sent' : 'failed');
            });
          });
        }
        if (content.decisionId) { track('impression', content.decisionId); }
        slot.dispatchEvent(new CustomEvent('nextbest:content', { detail: content, bubbles: true }));
        return content;
      })
      .catch(function (err) {
        slot.setAttribute('data-nextbest-error', String(err && err.message || err));
        return null;
      });
  }

  function refresh() {
    var slots = document.querySelectorAll('[data-nextbest-placement]');
    return Promise.all(Array.prototype.map.call(slots, fill));
  }

  function identify(id) {
    var s = storage();
    if (s) {
      if (id) { s.setItem(CUSTOMER, String(id)); } else { s.removeItem(CUSTOMER); }
    }
    return refresh();
  }

  window.NextBest = {
    identify: identify,
    customerId: customerId,
    anonymousId: anonymousId,
    refresh: refresh,
    track: track,
    endpoint: endpoint
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', refresh);
  } else {
    refresh();
  }
})(window, document);
