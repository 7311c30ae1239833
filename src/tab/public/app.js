/*
 * Meldwijzer coordinator tab. Plain browser JavaScript, no bundler, no third-party code except teams-js.
 * In Teams: SSO token via microsoftTeams.authentication.getAuthToken(). Outside Teams: the dev sign-in, only when
 * the server says dev auth is on (local development). Dutch first; English with ?lang=en.
 */
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var LANG = params.get('lang') === 'en' ? 'en' : 'nl';
  var LOCALE = LANG === 'en' ? 'en-GB' : 'nl-NL';
  var TEAMS_INIT_TIMEOUT_MS = 2500;
  var DEV_TOKEN_KEY = 'meldwijzer.devToken';

  var TEXT = {
    nl: {
      skip: 'Naar de inhoud',
      devBanner: 'Ontwikkelmodus — niet voor productie',
      devBannerDetail: 'Aangemeld met een ontwikkelaccount zonder Microsoft Teams.',
      appTitle: 'Meldwijzer — consultaties',
      viewsNav: 'Weergaven',
      navList: 'Consultaties',
      navMonitoring: 'Monitoring',
      loading: 'Bezig met laden…',
      noticeTitle: 'Open deze pagina in Microsoft Teams',
      noticeBody: 'Het overzicht van consultaties is alleen beschikbaar als tabblad van de Meldwijzer-app in Microsoft Teams.',
      signinTitle: 'Aanmelden (ontwikkelmodus)',
      signinBody: 'Deze pagina draait buiten Microsoft Teams. Kies een ontwikkelaccount uit policy/access.json. Dit bestaat alleen lokaal, nooit in productie.',
      signinUser: 'Ontwikkelaccount',
      signinButton: 'Aanmelden',
      listTitle: 'Open en recente consultaties',
      listTitleOwn: 'Mijn consultaties',
      filters: 'Filters',
      statsFilters: 'Periode en gemeente',
      status: 'Status',
      gemeente: 'Gemeente',
      doelgroep: 'Doelgroep',
      urgentie: 'Urgentie',
      refresh: 'Vernieuwen',
      tableCaption: 'Consultaties; kolomkoppen zijn knoppen om te sorteren',
      more: 'Meer laden',
      monitoringTitle: 'Monitoring',
      monitoringIntro: 'Alleen getelde aantallen, zonder gegevens over personen.',
      periode: 'Periode',
      downloadCsv: 'Download CSV',
      col_nummer: 'Nummer',
      col_status: 'Status',
      col_gemeente: 'Gemeente',
      col_doelgroep: 'Doelgroep',
      col_leeftijdsgroep: 'Leeftijd',
      col_urgentie: 'Urgentie',
      col_stap: 'Stap en advies',
      col_createdAt: 'Aangemaakt',
      col_assigneeName: 'Behandelaar',
      col_acties: 'Acties',
      sortBy: 'Sorteer op',
      all: 'Alle',
      allGemeenten: 'Alle gemeenten',
      openAndBusy: 'Open en in behandeling',
      allPeriods: 'Alle perioden',
      half1: 'eerste helft',
      half2: 'tweede helft',
      'status.open': 'Open',
      'status.in-behandeling': 'In behandeling',
      'status.afgerond': 'Afgerond',
      'status.ingetrokken': 'Ingetrokken',
      'afsluiting.gemeld-veilig-thuis': 'Gemeld bij Veilig Thuis',
      'afsluiting.hulp-georganiseerd': 'Hulp georganiseerd',
      'afsluiting.afgesloten-zonder-zorgen': 'Afgesloten zonder zorgen',
      'afsluiting.doorverwezen': 'Doorverwezen',
      afsluitingKies: 'Uitkomst (stap 5)',
      afsluitingNodig: 'Kies eerst de uitkomst (stap 5) om {nummer} af te ronden.',
      chartAfsluiting: 'Uitkomsten (stap 5) per halfjaar en gemeente',
      chartStapDuur: 'Gemiddelde tijd per stap (dagen)',
      'doelgroep.kind': 'Kind',
      'doelgroep.partner': 'Partner',
      'doelgroep.oudere': 'Oudere',
      'doelgroep.volwassene': 'Volwassene',
      'doelgroep.onbekend': 'Onbekend',
      'urgentie.vandaag': 'Vandaag',
      'urgentie.deze-week': 'Deze week',
      'urgentie.geen-haast': 'Geen haast',
      'actie.112': 'Bel 112',
      'actie.meldplicht-medewerker': 'Meldplicht medewerker',
      'actie.veilig-thuis-direct': 'Direct Veilig Thuis',
      'actie.signalen-in-kaart': 'Signalen in kaart brengen',
      'actie.collega-raadplegen': 'Collega raadplegen',
      'actie.gesprek': 'Gesprek',
      'actie.wegen': 'Wegen',
      'actie.melden': 'Melden',
      'actie.hulp-organiseren': 'Hulp organiseren',
      'actie.afsluiten': 'Afsluiten',
      'actie.afsluiten-met-afspraken': 'Afsluiten met afspraken',
      'uitkomst.melden': 'Melden',
      'uitkomst.hulp': 'Hulp',
      'uitkomst.overig': 'Overig / nog in afweging',
      stap: 'Stap',
      route: 'Route buiten de stappen',
      pickUp: 'Oppakken',
      finish: 'Afronden',
      nobody: '—',
      count: '{n} consultaties getoond',
      countOne: '1 consultatie getoond',
      empty: 'Geen consultaties gevonden met deze filters.',
      changed: '{nummer} is nu: {status}.',
      conflict: 'Iemand anders heeft {nummer} net gewijzigd. De rij toont nu de actuele stand.',
      forbidden: 'U heeft hiervoor geen toegang.',
      sessionExpired: 'Uw sessie is verlopen. Meld u opnieuw aan.',
      ssoFailed: 'Aanmelden via Microsoft Teams is niet gelukt. Laad het tabblad opnieuw; blijft dit gebeuren, neem dan contact op met uw beheerder.',
      failed: 'Er ging iets mis. Probeer het opnieuw.',
      signedInAs: 'Aangemeld als {name} ({role})',
      role_coordinator: 'coördinator',
      role_professional: 'professional',
      total: 'Totaal in deze periode: {n} consultaties.',
      chartMaand: 'Consultaties per maand',
      chartHalfjaar: 'Consultaties per halfjaar',
      chartDoelgroep: 'Consultaties per doelgroep',
      chartStap: 'Geadviseerde stap en uitkomst',
      chartMelden: 'Melden of hulp',
      showTable: 'Toon als tabel',
      category: 'Categorie',
      aantal: 'Aantal',
      noData: 'Geen gegevens in deze periode.',
      csvDone: 'CSV gedownload.',
      notTeams: 'Niet in Teams en geen ontwikkel-aanmelding beschikbaar.'
    },
    en: {
      skip: 'Skip to content',
      devBanner: 'Development mode — not for production',
      devBannerDetail: 'Signed in with a development account, without Microsoft Teams.',
      appTitle: 'Meldwijzer — consultations',
      viewsNav: 'Views',
      navList: 'Consultations',
      navMonitoring: 'Monitoring',
      loading: 'Loading…',
      noticeTitle: 'Open this page in Microsoft Teams',
      noticeBody: 'The consultation overview is only available as a tab of the Meldwijzer app in Microsoft Teams.',
      signinTitle: 'Sign in (development mode)',
      signinBody: 'This page runs outside Microsoft Teams. Choose a development account from policy/access.json. This exists locally only, never in production.',
      signinUser: 'Development account',
      signinButton: 'Sign in',
      listTitle: 'Open and recent consultations',
      listTitleOwn: 'My consultations',
      filters: 'Filters',
      statsFilters: 'Period and municipality',
      status: 'Status',
      gemeente: 'Municipality',
      doelgroep: 'Target group',
      urgentie: 'Urgency',
      refresh: 'Refresh',
      tableCaption: 'Consultations; column headers are buttons to sort',
      more: 'Load more',
      monitoringTitle: 'Monitoring',
      monitoringIntro: 'Counts only, no data about persons.',
      periode: 'Period',
      downloadCsv: 'Download CSV',
      col_nummer: 'Number',
      col_status: 'Status',
      col_gemeente: 'Municipality',
      col_doelgroep: 'Target group',
      col_leeftijdsgroep: 'Age',
      col_urgentie: 'Urgency',
      col_stap: 'Step and advice',
      col_createdAt: 'Created',
      col_assigneeName: 'Handled by',
      col_acties: 'Actions',
      sortBy: 'Sort by',
      all: 'All',
      allGemeenten: 'All municipalities',
      openAndBusy: 'Open and in progress',
      allPeriods: 'All periods',
      half1: 'first half',
      half2: 'second half',
      'status.open': 'Open',
      'status.in-behandeling': 'In progress',
      'status.afgerond': 'Closed',
      'status.ingetrokken': 'Withdrawn',
      'afsluiting.gemeld-veilig-thuis': 'Reported to Veilig Thuis',
      'afsluiting.hulp-georganiseerd': 'Help organised',
      'afsluiting.afgesloten-zonder-zorgen': 'Closed without concerns',
      'afsluiting.doorverwezen': 'Referred',
      afsluitingKies: 'Outcome (step 5)',
      afsluitingNodig: 'Choose the outcome (step 5) first to close {nummer}.',
      chartAfsluiting: 'Outcomes (step 5) per half year and municipality',
      chartStapDuur: 'Average time per step (days)',
      'doelgroep.kind': 'Child',
      'doelgroep.partner': 'Partner',
      'doelgroep.oudere': 'Older person',
      'doelgroep.volwassene': 'Adult',
      'doelgroep.onbekend': 'Unknown',
      'urgentie.vandaag': 'Today',
      'urgentie.deze-week': 'This week',
      'urgentie.geen-haast': 'No hurry',
      'actie.112': 'Call 112',
      'actie.meldplicht-medewerker': 'Duty to report employee',
      'actie.veilig-thuis-direct': 'Veilig Thuis straight away',
      'actie.signalen-in-kaart': 'Map the signals',
      'actie.collega-raadplegen': 'Consult a colleague',
      'actie.gesprek': 'Conversation',
      'actie.wegen': 'Weigh',
      'actie.melden': 'Report',
      'actie.hulp-organiseren': 'Organise help',
      'actie.afsluiten': 'Close',
      'actie.afsluiten-met-afspraken': 'Close with agreements',
      'uitkomst.melden': 'Report',
      'uitkomst.hulp': 'Help',
      'uitkomst.overig': 'Other / still weighing',
      stap: 'Step',
      route: 'Route outside the steps',
      pickUp: 'Pick up',
      finish: 'Close',
      nobody: '—',
      count: '{n} consultations shown',
      countOne: '1 consultation shown',
      empty: 'No consultations match these filters.',
      changed: '{nummer} is now: {status}.',
      conflict: 'Someone else just changed {nummer}. The row now shows the current state.',
      forbidden: 'You do not have access to this.',
      sessionExpired: 'Your session has expired. Please sign in again.',
      ssoFailed: 'Signing in through Microsoft Teams failed. Reload the tab; if this keeps happening, contact your administrator.',
      failed: 'Something went wrong. Please try again.',
      signedInAs: 'Signed in as {name} ({role})',
      role_coordinator: 'coordinator',
      role_professional: 'professional',
      total: 'Total in this period: {n} consultations.',
      chartMaand: 'Consultations per month',
      chartHalfjaar: 'Consultations per half year',
      chartDoelgroep: 'Consultations per target group',
      chartStap: 'Advised step and outcome',
      chartMelden: 'Report or help',
      showTable: 'Show as table',
      category: 'Category',
      aantal: 'Count',
      noData: 'No data in this period.',
      csvDone: 'CSV downloaded.',
      notTeams: 'Not in Teams and no development sign-in available.'
    }
  };

  function t(key, vars) {
    var s = (TEXT[LANG] && TEXT[LANG][key]) || TEXT.nl[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
    return s;
  }

  var STATUSES = ['open', 'in-behandeling', 'afgerond', 'ingetrokken'];
  var DOELGROEPEN = ['kind', 'partner', 'oudere', 'volwassene'];
  var URGENTIES = ['vandaag', 'deze-week', 'geen-haast'];
  var UITKOMSTEN = ['gemeld-veilig-thuis', 'hulp-georganiseerd', 'afgesloten-zonder-zorgen', 'doorverwezen'];
  /** Status buttons per current status: [target, text key]. Mirrors TAB_TRANSITIONS on the server. */
  var ACTIONS = {
    open: [['in-behandeling', 'pickUp']],
    'in-behandeling': [['afgerond', 'finish']],
    afgerond: [],
    ingetrokken: []
  };

  var $ = function (id) { return document.getElementById(id); };
  var state = {
    mode: null, // 'teams' | 'dev'
    devToken: null,
    me: null,
    sort: '-createdAt',
    items: [],
    nextCursor: null,
    view: 'list',
    loadSeq: 0
  };

  // ---------- small DOM helpers ----------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function announce(msg) {
    var live = $('live');
    live.textContent = '';
    window.setTimeout(function () { live.textContent = msg; }, 30);
  }
  function showError(msg) {
    var box = $('error');
    box.textContent = msg || '';
    box.hidden = !msg;
  }
  function option(value, label, selected) {
    var o = el('option', { value: value, text: label });
    if (selected) o.selected = true;
    return o;
  }
  function gemeenteNaam(code) {
    var names = (state.me && state.me.gemeenteNamen) || {};
    return names[code] || code;
  }

  function fillSelect(select, options) {
    select.textContent = '';
    options.forEach(function (o) { select.appendChild(option(o[0], o[1], o[2])); });
  }
  function fmtDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    return d.toLocaleString(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function applyI18n() {
    document.documentElement.lang = LANG;
    document.title = t('appTitle');
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (n) { n.textContent = t(n.getAttribute('data-i18n')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-aria]'), function (n) { n.setAttribute('aria-label', t(n.getAttribute('data-i18n-aria'))); });
  }

  // ---------- auth & API ----------
  function tryTeams() {
    var teams = window.microsoftTeams;
    if (!teams || !teams.app || typeof teams.app.initialize !== 'function') return Promise.resolve(false);
    return new Promise(function (resolve) {
      var done = false;
      var timer = window.setTimeout(function () { if (!done) { done = true; resolve(false); } }, TEAMS_INIT_TIMEOUT_MS);
      var p;
      try { p = teams.app.initialize(); } catch (e) { p = Promise.reject(e); }
      Promise.resolve(p).then(function () {
        if (!done) { done = true; window.clearTimeout(timer); resolve(true); }
      }, function () {
        // Outside Teams: "No Parent window found".
        if (!done) { done = true; window.clearTimeout(timer); resolve(false); }
      });
    });
  }

  function applyTeamsTheme(theme) {
    document.body.classList.remove('theme-dark', 'theme-contrast');
    if (theme === 'dark') document.body.classList.add('theme-dark');
    if (theme === 'contrast') document.body.classList.add('theme-contrast');
  }

  function getToken() {
    if (state.mode === 'teams') return window.microsoftTeams.authentication.getAuthToken();
    return Promise.resolve(state.devToken);
  }

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem || {};
    this.message = (problem && (problem.detail || problem.title)) || ('HTTP ' + status);
  }

  function api(path, options) {
    options = options || {};
    return getToken().then(function (token) {
      var headers = { Accept: options.accept || 'application/json' };
      if (token) headers.Authorization = 'Bearer ' + token;
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      return fetch(path, {
        method: options.method || 'GET',
        headers: headers,
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        credentials: 'omit',
        cache: 'no-store'
      });
    }).then(function (res) {
      if (options.raw && res.ok) return res;
      var ct = res.headers.get('content-type') || '';
      var body = ct.indexOf('json') >= 0 ? res.json() : res.text();
      return body.then(function (data) {
        if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : null);
        return data;
      });
    });
  }

  function handleApiError(err) {
    $('loading').hidden = true;
    if (err && err.status === 401) {
      if (state.mode === 'dev') {
        try { window.sessionStorage.removeItem(DEV_TOKEN_KEY); } catch (e) { /* ignore */ }
        state.devToken = null;
        showError(t('sessionExpired'));
        showSignIn();
        return;
      }
      showError(t('ssoFailed'));
      return;
    }
    if (state.mode === 'teams' && err && err.status === undefined && !(err instanceof TypeError)) {
      // getAuthToken() rejected (consent missing, app registration not set up, …).
      showError(t('ssoFailed') + (err.message ? ' (' + err.message + ')' : ''));
      return;
    }
    if (err && err.status === 403) { showError(t('forbidden')); return; }
    showError(t('failed') + (err && err.message ? ' (' + err.message + ')' : ''));
    if (window.console) console.error(err);
  }

  // ---------- start ----------
  function start() {
    applyI18n();
    tryTeams().then(function (inTeams) {
      if (inTeams) {
        state.mode = 'teams';
        var teams = window.microsoftTeams;
        try {
          teams.app.getContext().then(function (ctx) { applyTeamsTheme(ctx && ctx.app && ctx.app.theme); }, function () {});
          teams.app.registerOnThemeChangeHandler(applyTeamsTheme);
        } catch (e) { /* theme is cosmetic */ }
        return loadMe().then(function () { try { teams.app.notifySuccess(); } catch (e) { /* ignore */ } });
      }
      return fetch('/api/tab/config', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (cfg) {
        $('loading').hidden = true;
        if (!cfg.devAuth) {
          $('notice').hidden = false;
          return;
        }
        state.mode = 'dev';
        $('dev-banner').hidden = false;
        state.devUsers = cfg.devUsers || [];
        var saved = null;
        try { saved = window.sessionStorage.getItem(DEV_TOKEN_KEY); } catch (e) { /* ignore */ }
        if (saved) {
          state.devToken = saved;
          return loadMe();
        }
        showSignIn();
      });
    }).catch(function (err) {
      $('loading').hidden = true;
      handleApiError(err);
    });
  }

  function showSignIn() {
    $('loading').hidden = true;
    ['view-list', 'view-monitoring', 'views-nav', 'whoami'].forEach(function (id) { $(id).hidden = true; });
    var sel = $('signin-user');
    fillSelect(sel, (state.devUsers || []).map(function (u) { return [u.id, u.label + ' — ' + t('role_' + u.role)]; }));
    $('signin').hidden = false;
    sel.focus();
  }

  $('signin-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var userId = $('signin-user').value;
    var button = ev.target.querySelector('button[type=submit]');
    button.disabled = true;
    fetch('/api/tab/dev-login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ userId: userId })
    }).then(function (r) {
      return r.json().then(function (d) { if (!r.ok) throw new ApiError(r.status, d); return d; });
    }).then(function (d) {
      state.devToken = d.token;
      try { window.sessionStorage.setItem(DEV_TOKEN_KEY, d.token); } catch (e) { /* ignore */ }
      showError('');
      $('signin').hidden = true;
      return loadMe();
    }).catch(handleApiError).then(function () { button.disabled = false; });
  });

  function loadMe() {
    return api('/api/tab/me').then(function (me) {
      state.me = me;
      $('loading').hidden = true;
      $('whoami').textContent = t('signedInAs', { name: me.name || '—', role: t('role_' + me.role) });
      $('whoami').hidden = false;
      $('views-nav').hidden = false;
      $('nav-monitoring').hidden = me.role !== 'coordinator';
      if (me.devMode) $('dev-banner').hidden = false;
      setupFilters();
      showView('list');
    }).catch(handleApiError);
  }

  // ---------- views ----------
  function showView(view) {
    state.view = view;
    $('view-list').hidden = view !== 'list';
    $('view-monitoring').hidden = view !== 'monitoring';
    Array.prototype.forEach.call(document.querySelectorAll('.nav-button'), function (b) {
      if (b.getAttribute('data-view') === view) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    });
    showError('');
    if (view === 'list') loadList(false);
    else loadStats();
  }
  Array.prototype.forEach.call(document.querySelectorAll('.nav-button'), function (b) {
    b.addEventListener('click', function () { showView(b.getAttribute('data-view')); });
  });

  // ---------- list ----------
  function setupFilters() {
    var me = state.me;
    fillSelect($('f-status'), [['open,in-behandeling', t('openAndBusy'), true], ['', t('all')]].concat(STATUSES.map(function (s) { return [s, t('status.' + s)]; })));
    var gemeenten = me.gemeenten || [];
    fillSelect($('f-gemeente'), [['', t('allGemeenten')]].concat(gemeenten.map(function (g) { return [g, gemeenteNaam(g)]; })));
    $('field-gemeente').hidden = me.role !== 'coordinator' || gemeenten.length < 2;
    fillSelect($('f-doelgroep'), [['', t('all')]].concat(DOELGROEPEN.map(function (d) { return [d, t('doelgroep.' + d)]; })));
    fillSelect($('f-urgentie'), [['', t('all')]].concat(URGENTIES.map(function (u) { return [u, t('urgentie.' + u)]; })));
    $('list-title').textContent = me.role === 'coordinator' ? t('listTitle') : t('listTitleOwn');

    // Stats filters
    var now = new Date();
    var y = now.getFullYear();
    var h = now.getMonth() < 6 ? 1 : 2;
    var periods = [['', t('allPeriods')]];
    for (var i = 0; i < 6; i++) {
      periods.push([y + '-H' + h, y + ' — ' + t('half' + h), i === 0]);
      if (h === 1) { h = 2; y--; } else { h = 1; }
    }
    fillSelect($('s-periode'), periods);
    fillSelect($('s-gemeente'), [['', t('allGemeenten')]].concat(gemeenten.map(function (g) { return [g, gemeenteNaam(g)]; })));

    renderHeader();
  }

  ['f-status', 'f-gemeente', 'f-doelgroep', 'f-urgentie'].forEach(function (id) {
    $(id).addEventListener('change', function () { loadList(false); });
  });
  $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); loadList(false); });
  $('refresh').addEventListener('click', function () { loadList(false); });
  $('more').addEventListener('click', function () { loadList(true); });

  function renderHeader() {
    Array.prototype.forEach.call(document.querySelectorAll('#consultations thead th'), function (th) {
      var field = th.getAttribute('data-sort');
      th.textContent = '';
      if (!field) {
        th.textContent = t('col_' + th.getAttribute('data-col'));
        return;
      }
      var current = state.sort.replace(/^-/, '') === field;
      if (current) th.setAttribute('aria-sort', state.sort.charAt(0) === '-' ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
      var b = el('button', { type: 'button', className: 'sort', 'data-field': field, text: t('col_' + field) });
      b.addEventListener('click', function () {
        if (state.sort.replace(/^-/, '') === field) state.sort = state.sort.charAt(0) === '-' ? field : '-' + field;
        else state.sort = field === 'createdAt' ? '-createdAt' : field;
        renderHeader();
        loadList(false).then(function () {
          var again = document.querySelector('#consultations th button.sort[data-field="' + field + '"]');
          if (again) again.focus();
        });
      });
      th.appendChild(b);
    });
  }

  function listQuery() {
    var q = new URLSearchParams();
    var status = $('f-status').value;
    if (status) q.set('status', status);
    if (!$('field-gemeente').hidden && $('f-gemeente').value) q.set('gemeente', $('f-gemeente').value);
    if ($('f-doelgroep').value) q.set('doelgroep', $('f-doelgroep').value);
    if ($('f-urgentie').value) q.set('urgentie', $('f-urgentie').value);
    q.set('sort', state.sort);
    q.set('limit', '50');
    return q;
  }

  function loadList(more) {
    var q = listQuery();
    if (more && state.nextCursor) q.set('cursor', state.nextCursor);
    var seq = ++state.loadSeq;
    $('consultations').setAttribute('aria-busy', 'true');
    return api('/api/tab/consultations?' + q.toString()).then(function (page) {
      if (seq !== state.loadSeq) return;
      state.items = more ? state.items.concat(page.items) : page.items;
      state.nextCursor = page.nextCursor;
      renderRows();
      $('more').hidden = !page.nextCursor;
      var n = state.items.length;
      $('list-status').textContent = n === 0 ? t('empty') : n === 1 ? t('countOne') : t('count', { n: n });
    }).catch(handleApiError).then(function () {
      $('consultations').removeAttribute('aria-busy');
    });
  }

  function renderRows() {
    var tbody = document.querySelector('#consultations tbody');
    tbody.textContent = '';
    if (state.items.length === 0) {
      tbody.appendChild(el('tr', null, [el('td', { colspan: '10', className: 'empty', text: t('empty') })]));
      return;
    }
    state.items.forEach(function (item) { tbody.appendChild(renderRow(item)); });
  }

  function renderRow(item) {
    // The server applies the one pick-up rule per item (mayChangeStatus): a request routed to a named contact is theirs.
    var canAct = state.me && state.me.role === 'coordinator' && (state.me.gemeenten || []).indexOf(item.gemeente) >= 0 && item.mayChangeStatus !== false;
    var actions = el('td', { className: 'acties' });
    if (canAct) {
      (ACTIONS[item.status] || []).forEach(function (a) {
        var select = null;
        if (a[0] === 'afgerond') {
          // Afronden always with the stap 5 outcome.
          select = el('select', { className: 'uitkomst', 'aria-label': t('afsluitingKies') + ' ' + item.nummer });
          select.appendChild(el('option', { value: '', text: t('afsluitingKies') }));
          UITKOMSTEN.forEach(function (u) { select.appendChild(el('option', { value: u, text: t('afsluiting.' + u) })); });
          actions.appendChild(select);
        }
        var b = el('button', { type: 'button', 'data-action': a[0], 'aria-label': t(a[1]) + ' ' + item.nummer, text: t(a[1]) });
        if (a[0] === 'in-behandeling' && item.status === 'open') b.className = 'primary';
        b.addEventListener('click', function () { changeStatus(item.nummer, a[0], b, select ? select.value : null); });
        actions.appendChild(b);
      });
    }
    var urg = item.urgentie ? el('span', { className: 'badge urgentie-' + item.urgentie, text: t('urgentie.' + item.urgentie) }) : null;
    return el('tr', { 'data-nummer': item.nummer, 'data-status': item.status }, [
      el('td', { className: 'nummer', text: item.nummer }),
      el('td', { className: 'status' }, [el('span', { className: 'badge status-' + item.status, text: t('status.' + item.status) + (item.status === 'afgerond' && item.uitkomst ? ' · ' + t('afsluiting.' + item.uitkomst) : '') })]),
      el('td', { className: 'gemeente', text: item.gemeente ? gemeenteNaam(item.gemeente) : '—', title: item.gemeente || '' }),
      el('td', { className: 'doelgroep', text: item.doelgroep ? t('doelgroep.' + item.doelgroep) : '—' }),
      el('td', { className: 'leeftijdsgroep', text: item.leeftijdsgroep || '—' }),
      el('td', { className: 'urgentie' }, [urg || '—']),
      el('td', { className: 'stap', text: stapLabel(item.stap, item.actie) }),
      el('td', { className: 'createdAt' }, [el('time', { datetime: item.createdAt, text: fmtDate(item.createdAt) })]),
      el('td', { className: 'assignee', text: item.assigneeName || t('nobody') }),
      actions
    ]);
  }

  // Routes outside the five meldcode steps (112, meldplicht medewerker, Veilig Thuis direct) never show "Stap N".
  var ROUTE_ACTIES = ['112', 'meldplicht-medewerker', 'veilig-thuis-direct'];
  function stapLabel(stap, actie) {
    if (ROUTE_ACTIES.indexOf(actie) >= 0) return t('route') + ' · ' + t('actie.' + actie);
    return t('stap') + ' ' + stap + ' · ' + t('actie.' + actie);
  }

  function replaceRow(item, focusAction) {
    state.items = state.items.map(function (i) { return i.nummer === item.nummer ? item : i; });
    var old = document.querySelector('#consultations tbody tr[data-nummer="' + item.nummer + '"]');
    if (!old) return;
    var row = renderRow(item);
    row.classList.add('updated');
    old.parentNode.replaceChild(row, old);
    if (focusAction) {
      var b = row.querySelector('td.acties button');
      if (b) b.focus();
      else row.querySelector('td.nummer').setAttribute('tabindex', '-1'), row.querySelector('td.nummer').focus();
    }
  }

  function changeStatus(nummer, status, button, uitkomst) {
    var item = state.items.filter(function (i) { return i.nummer === nummer; })[0];
    if (!item) return;
    if (status === 'afgerond' && !uitkomst) {
      showError(t('afsluitingNodig', { nummer: nummer }));
      return;
    }
    button.disabled = true;
    showError('');
    var body = { status: status, version: item.version };
    if (status === 'afgerond') body.uitkomst = uitkomst;
    api('/api/tab/consultations/' + encodeURIComponent(nummer) + '/status', { method: 'POST', body: body })
      .then(function (res) {
        replaceRow(res.item, true);
        announce(t('changed', { nummer: nummer, status: t('status.' + res.item.status) }));
      })
      .catch(function (err) {
        if (err && (err.status === 409 || err.status === 422) && err.problem && err.problem.current) {
          replaceRow(err.problem.current, true);
          showError(t('conflict', { nummer: nummer }));
          return;
        }
        button.disabled = false;
        handleApiError(err);
      });
  }

  // ---------- monitoring ----------
  function statsQuery() {
    var q = new URLSearchParams();
    if ($('s-periode').value) q.set('halfjaar', $('s-periode').value);
    if ($('s-gemeente').value) q.set('gemeente', $('s-gemeente').value);
    return q;
  }
  $('s-periode').addEventListener('change', function () { loadStats(); });
  $('s-gemeente').addEventListener('change', function () { loadStats(); });

  function loadStats() {
    var charts = $('charts');
    charts.setAttribute('aria-busy', 'true');
    return api('/api/tab/stats?' + statsQuery().toString()).then(function (s) {
      renderStats(s);
    }).catch(handleApiError).then(function () { charts.removeAttribute('aria-busy'); });
  }

  function monthLabel(m) {
    var parts = m.split('-');
    var d = new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 1));
    return d.toLocaleDateString(LOCALE, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  }

  function renderStats(s) {
    $('stats-total').textContent = t('total', { n: s.totaal });
    var charts = $('charts');
    charts.textContent = '';
    charts.appendChild(barChart('chart-maand', t('chartMaand'), s.perMaand.map(function (r) { return { label: monthLabel(r.maand), value: r.aantal }; }), 'vertical'));
    charts.appendChild(barChart('chart-halfjaar', t('chartHalfjaar'), s.perHalfjaar.map(function (r) { return { label: r.halfjaar, value: r.aantal }; }), 'vertical'));
    charts.appendChild(barChart('chart-doelgroep', t('chartDoelgroep'), s.perDoelgroep.map(function (r) { return { label: t('doelgroep.' + r.doelgroep), value: r.aantal }; }), 'horizontal'));
    charts.appendChild(barChart('chart-stap', t('chartStap'), s.perStapActie.map(function (r) {
      return { label: stapLabel(r.stap, r.actie), value: r.aantal, className: 'uitkomst-' + r.uitkomst };
    }), 'horizontal'));
    charts.appendChild(barChart('chart-melden', t('chartMelden'), ['melden', 'hulp', 'overig'].map(function (k) {
      return { label: t('uitkomst.' + k), value: s.meldenVsHulp[k] || 0, className: 'uitkomst-' + k };
    }), 'horizontal'));
    charts.appendChild(barChart('chart-afsluiting', t('chartAfsluiting'), (s.perAfsluiting || []).map(function (r) {
      return { label: r.halfjaar + ' · ' + gemeenteNaam(r.gemeente) + ' · ' + t('afsluiting.' + r.uitkomst), value: r.aantal, className: 'afsluiting-' + r.uitkomst };
    }), 'horizontal'));
    charts.appendChild(barChart('chart-stapduur', t('chartStapDuur'), (s.stapDuur || []).map(function (r) {
      return { label: t('stap') + ' ' + r.stap, value: r.gemiddeldDagen };
    }), 'horizontal'));
  }

  /** A bar chart as inline SVG, with a title/desc for screen readers and the numbers as a table. */
  function barChart(id, title, data, orientation) {
    var fig = el('figure', { className: 'chart', id: id });
    var capId = id + '-title';
    fig.appendChild(el('figcaption', { id: capId, text: title }));
    var max = data.reduce(function (m, d) { return Math.max(m, d.value); }, 0);
    var W = 600;
    var root;
    if (data.length === 0 || max === 0) {
      fig.appendChild(el('p', { className: 'empty', text: t('noData') }));
    }
    if (data.length > 0) {
      if (orientation === 'horizontal') {
        var rowH = 28;
        var labelW = 230;
        var H = data.length * rowH + 10;
        root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': capId + ' ' + id + '-desc', preserveAspectRatio: 'xMinYMin meet' });
        var plotW = W - labelW - 50;
        data.forEach(function (d, i) {
          var y = 5 + i * rowH;
          var w = max ? Math.round((d.value / max) * plotW) : 0;
          root.appendChild(svg('text', { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end' }, d.label));
          var bar = svg('rect', { x: labelW, y: y + 4, width: Math.max(w, 0), height: rowH - 8, rx: 2, 'class': 'bar ' + (d.className || ''), 'data-label': d.label, 'data-value': d.value });
          bar.appendChild(svg('title', {}, d.label + ': ' + d.value));
          root.appendChild(bar);
          root.appendChild(svg('text', { x: labelW + w + 6, y: y + rowH / 2 + 4, 'class': 'value' }, String(d.value)));
        });
        root.appendChild(svg('line', { x1: labelW, y1: 2, x2: labelW, y2: H - 2, 'class': 'axis' }));
      } else {
        var H2 = 240;
        var top = 20;
        var bottom = 40;
        var left = 10;
        var plotH = H2 - top - bottom;
        var slot = (W - left * 2) / data.length;
        var bw = Math.max(4, Math.min(48, slot * 0.7));
        root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H2, role: 'img', 'aria-labelledby': capId + ' ' + id + '-desc', preserveAspectRatio: 'xMinYMin meet' });
        root.appendChild(svg('line', { x1: left, y1: top + plotH, x2: W - left, y2: top + plotH, 'class': 'axis' }));
        var every = Math.ceil(data.length / 12);
        data.forEach(function (d, i) {
          var h = max ? Math.round((d.value / max) * plotH) : 0;
          var x = left + i * slot + (slot - bw) / 2;
          var bar = svg('rect', { x: x.toFixed(1), y: top + plotH - h, width: bw.toFixed(1), height: h, rx: 2, 'class': 'bar ' + (d.className || ''), 'data-label': d.label, 'data-value': d.value });
          bar.appendChild(svg('title', {}, d.label + ': ' + d.value));
          root.appendChild(bar);
          if (d.value > 0) root.appendChild(svg('text', { x: (x + bw / 2).toFixed(1), y: top + plotH - h - 4, 'text-anchor': 'middle', 'class': 'value' }, String(d.value)));
          if (i % every === 0) root.appendChild(svg('text', { x: (x + bw / 2).toFixed(1), y: top + plotH + 16, 'text-anchor': 'middle', 'class': 'muted' }, d.label));
        });
      }
      root.insertBefore(svg('desc', { id: id + '-desc' }, data.map(function (d) { return d.label + ': ' + d.value; }).join('; ')), root.firstChild);
      fig.appendChild(root);
    }
    var details = el('details', null, [el('summary', { text: t('showTable') })]);
    var table = el('table', null, [
      el('thead', null, [el('tr', null, [el('th', { scope: 'col', text: t('category') }), el('th', { scope: 'col', text: t('aantal') })])]),
      el('tbody', null, data.map(function (d) { return el('tr', null, [el('th', { scope: 'row', text: d.label }), el('td', { className: 'num', text: String(d.value) })]); }))
    ]);
    details.appendChild(table);
    fig.appendChild(details);
    return fig;
  }

  $('download-csv').addEventListener('click', function () {
    var button = $('download-csv');
    button.disabled = true;
    showError('');
    api('/api/tab/stats.csv?' + statsQuery().toString(), { raw: true, accept: 'text/csv' }).then(function (res) {
      var cd = res.headers.get('content-disposition') || '';
      var m = /filename="([^"]+)"/.exec(cd);
      var name = m ? m[1] : 'meldwijzer-monitoring.csv';
      return res.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = el('a', { href: url, download: name });
        a.hidden = true;
        document.body.appendChild(a);
        a.click();
        window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
        announce(t('csvDone'));
      });
    }).catch(handleApiError).then(function () { button.disabled = false; });
  });

  start();
})();
