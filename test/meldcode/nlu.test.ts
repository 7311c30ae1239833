import { understand } from '../../src/meldcode/nlu';
import { loadPolicy } from '../../src/policy';

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
