/*
 * NextBest web SDK. Include it with the site's publishable key
 *   <script src="https://content.example.com/sdk/nextbest.js" data-site-key="pk_…" defer></script>
 * and mark the slots to personalise:
 *   <div data-nextbest-placement="home-hero">fallback markup</div>
 * Each slot is filled from GET /api/v1/content/{placement}; the fallback markup stays when the call
 * fails. Visitors keep an anonymous id until identify(customerId, signature) is called: the
 * signature is what the site's backend computed for the logged-in customer (hex HMAC-SHA256 of the
 * id under the site key's secret), and with it the anonymous id's history joins the customer
 * (POST /api/v1/content/identify). Rendered content is reported as an impression, clicks on its
 * call to action as clicks.
 *
 * Content comes in the profile's locale; a page that wants another names it with data-locale on
 * this script or data-nextbest-locale on a slot (the document's lang is not sent: it would override
 * the customer's own language). Without either, the browser's language is used for visitors whose
 * profile has none.
 */
(function (window, document) {
  'use strict';
  var script = document.currentScript;
  var endpoint = (script && script.getAttribute('data-endpoint')) ||
    (script && script.src ? new URL(script.src, window.location.href).origin : window.location.origin);
  var siteKey = (script && script.getAttribute('data-site-key')) || '';
  var pageLocale = (script && script.getAttribute('data-locale')) || '';
  var ANON = 'nextbest.anonymousId';
  var CUSTOMER = 'nextbest.customerId';
  var SIGNATURE = 'nextbest.customerSignature';

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

  function signature() {
    var s = storage();
    return (s && s.getItem(CUSTOMER) && s.getItem(SIGNATURE)) || '';
  }

  /** The site key and, for a customer the site's backend signed, the signature. */
  function credentials() {
    var query = 'key=' + encodeURIComponent(siteKey);
    var sig = signature();
    return sig ? query + '&sig=' + encodeURIComponent(sig) : query;
  }

  function send(event) {
    return fetch(endpoint + '/api/v1/content/events?' + credentials(), {
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
    if (signature()) { query.set('sig', signature()); }
    // only a locale the page names: the profile's locale wins otherwise
    var locale = slot.getAttribute('data-nextbest-locale') || pageLocale;
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

  /**
   * The anonymous visitor's history joins the customer: content-service asks profile-service to
   * merge the ids when the customer id is signed (or the key trusts unsigned ids). A merged
   * anonymous id is dropped, so a later visitor on this browser starts a new one.
   */
  function merge(anonymous, id) {
    return fetch(endpoint + '/api/v1/content/identify?' + credentials(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ anonymousId: anonymous, customerId: id })
    }).then(function (r) {
      var s = storage();
      if (r.ok && s && s.getItem(ANON) === anonymous) { s.removeItem(ANON); }
      return r.ok;
    }).catch(function () { return false; });
  }

  /**
   * Switches to a known customer (signature: the site backend's hex HMAC-SHA256 of the id, needed
   * unless the site key trusts unsigned ids), or back to an anonymous visitor with no id. A visitor
   * who was anonymous until now has their anonymous id merged into the customer first.
   */
  function identify(id, sig) {
    var s = storage();
    var anonymous = s && !s.getItem(CUSTOMER) && s.getItem(ANON);
    if (s) {
      if (id) { s.setItem(CUSTOMER, String(id)); } else { s.removeItem(CUSTOMER); }
      if (id && sig) { s.setItem(SIGNATURE, String(sig)); } else { s.removeItem(SIGNATURE); }
    }
    var merged = id && anonymous && anonymous !== String(id) ?
      merge(anonymous, String(id)) : Promise.resolve(false);
    return merged.then(function (ok) {
      document.dispatchEvent(new CustomEvent('nextbest:identify', {
        detail: { customerId: id ? String(id) : null, anonymousId: anonymous || null, merged: ok }
      }));
      return refresh();
    });
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
