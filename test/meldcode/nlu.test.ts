import { understand } from '../../src/meldcode/nlu';
import { loadPolicy } from '../../src/meldcode/policy';

const policy = loadPolicy();

test.each<[string, string]>([
  ['stop', 'stop'],
  ['Stoppen', 'stop'],
  ['opnieuw', 'opnieuw'],
  ['begin opnieuw', 'opnieuw'],
  ['help', 'help'],
  ['?', 'help'],
  ['start', 'start'],
  ['ik heb een niet-pluisgevoel', 'start'],
  ['Ik maak me zorgen over een leerling', 'start'],
  ['ik wil de aandachtsfunctionaris spreken', 'overleg'],
  ['overleg aanvragen', 'overleg'],
  ['open consultaties', 'open-consultaties'],
  ['goedemorgen', 'unknown'],
  ['', 'unknown'],
])('"%s" → %s', (text, intent) => {
  expect(understand(text, policy).intent).toBe(intent);
});

test.each<[string, Record<string, unknown>]>([
  ['een leerling met blauwe plekken', { doelgroep: 'kind', sector: 'onderwijs', signalen: ['lichamelijk-letsel'] }],
  ['peuter op het kinderdagverblijf komt steeds hongerig binnen', { doelgroep: 'kind', leeftijdsgroep: '0-3', sector: 'kinderopvang', signalen: ['verwaarlozing'] }],
  ['als wmo-consulent zie ik bij een oudere dat er geld verdwijnt van de pinpas', { doelgroep: 'oudere', sector: 'wmo', signalen: ['financiele-uitbuiting'] }],
  ['een meisje van de middelbare school vertelde dat ze moet trouwen', { doelgroep: 'kind', leeftijdsgroep: '12-17', vormen: ['huwelijksdwang'], disclosure: true }],
  ['zorgen over partnergeweld in Steenwijkerland', { doelgroep: 'partner', gemeente: 'GM1708' }],
  ['leerling wordt geslagen door de gymleraar', { doelgroep: 'kind', sector: 'onderwijs', plegerIsMedewerker: true }],
])('prefill from "%s"', (text, expected) => {
  const r = understand(text, policy);
  expect(r.intent).toBe('start');
  expect(r.prefill).toMatchObject(expected);
});

test('"overleggen met een collega" does not mark a colleague as suspect', () => {
  expect(understand('ik wil dit met een collega bespreken, het gaat om een leerling', policy).prefill.plegerIsMedewerker).toBeUndefined();
});

describe('the first message fills every slot it can, with the same parsers as the questions', () => {
  test.each<[string, Record<string, unknown>]>([
    ['een leerling van 14', { doelgroep: 'kind', leeftijdsgroep: '12-17', sector: 'onderwijs' }],
    ['Ik maak me zorgen over een leerling van 14 met blauwe plekken', { doelgroep: 'kind', leeftijdsgroep: '12-17', sector: 'onderwijs', signalen: ['lichamelijk-letsel'] }],
    ['een kind van 2 op het kinderdagverblijf', { doelgroep: 'kind', leeftijdsgroep: '0-3', sector: 'kinderopvang' }],
    ['een 8-jarige die vaak hongerig is', { doelgroep: 'kind', leeftijdsgroep: '4-11', signalen: ['verwaarlozing'] }],
    ['een meisje van twaalf jaar spijbelt steeds', { doelgroep: 'kind', leeftijdsgroep: '12-17', signalen: ['schoolverzuim'] }],
    ['a 14 year old pupil with bruises', { doelgroep: 'kind', leeftijdsgroep: '12-17', signalen: ['lichamelijk-letsel'] }],
    ['ik ben juf in Giethoorn en maak me zorgen', { sector: 'onderwijs', gemeente: 'GM1708' }],
    ['zorgen over een cliënt in Olst-Wijhe', { doelgroep: 'volwassene', gemeente: 'GM1773' }],
    ['hij vertelde dat vader hem slaat', { disclosure: true }],
    ['een leerling vertelde me dat haar stiefvader haar schopt', { doelgroep: 'kind', disclosure: true }],
  ])('prefill from "%s"', (text, expected) => {
    const r = understand(text, policy);
    expect(r.intent).toBe('start');
    expect(r.prefill).toMatchObject(expected);
  });

  test.each<[string, string]>([
    ['een leerling zegt dat papa boos was', 'disclosure'],
    ['ik vertelde de moeder over de blauwe plekken', 'disclosure'],
    ['ik maak me al 2 jaar zorgen over een leerling', 'leeftijdsgroep'],
    ['ik werk op een basisschool en heb zorgen', 'doelgroep'],
    ['ik werk op een basisschool en heb zorgen', 'leeftijdsgroep'],
    ['zorgen over een oudere vrouw van 80', 'leeftijdsgroep'],
    ['ik heb 3 leerlingen met zorgen', 'leeftijdsgroep'],
    ['zorgen over een kind in Amsterdam', 'gemeente'],
    ['zorgen over het welzijn van een kind', 'sector'],
    ['de ouders van een leerling gaan scheiden', 'signalen'],
  ])('"%s" does not fill %s', (text, slot) => {
    expect(understand(text, policy).prefill).not.toHaveProperty(slot);
  });
});
