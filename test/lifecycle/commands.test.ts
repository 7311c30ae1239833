import { parseLifecycleCommand, parseUitkomst } from '../../src/consultation/commands';

test.each([
  ['mijn consultaties', { kind: 'list' }],
  ['Lijst', { kind: 'list' }],
  ['overzicht!', { kind: 'list' }],
  ['mijn aanvragen', { kind: 'list' }],
  ['verder met MW-7K3Q9P', { kind: 'verder', nummer: 'MW-7K3Q9P' }],
  ['verder mw 7k3q9p', { kind: 'verder', nummer: 'MW-7K3Q9P' }],
  ['afsluiten MW-7K3Q9P', { kind: 'afsluiten', nummer: 'MW-7K3Q9P', uitkomst: null }],
  ['afsluiten MW-7K3Q9P gemeld bij Veilig Thuis', { kind: 'afsluiten', nummer: 'MW-7K3Q9P', uitkomst: 'gemeld-veilig-thuis' }],
  ['sluit MW-7K3Q9P af', { kind: 'afsluiten', nummer: 'MW-7K3Q9P', uitkomst: null }],
  ['heropen MW-7K3Q9P', { kind: 'heropen', nummer: 'MW-7K3Q9P' }],
  ['later MW-7K3Q9P', { kind: 'later', nummer: 'MW-7K3Q9P' }],
])('%s', (text, expected) => {
  expect(parseLifecycleCommand(text)).toEqual(expected);
});

test.each(['ik maak me zorgen over een leerling', 'verder', 'lijst met signalen', 'MW-7K3Q9P is gisteren besproken', 'afsluiten'])('not a command: %s', (text) => {
  expect(parseLifecycleCommand(text)).toBeNull();
});

test.each([
  ['1', 'gemeld-veilig-thuis'],
  ['2', 'hulp-georganiseerd'],
  ['hulp georganiseerd', 'hulp-georganiseerd'],
  ['afgesloten zonder zorgen', 'afgesloten-zonder-zorgen'],
  ['geen zorgen meer', 'afgesloten-zonder-zorgen'],
  ['doorverwezen', 'doorverwezen'],
  ['gemeld', 'gemeld-veilig-thuis'],
  ['weet niet', null],
  ['5', null],
  ['hulp maar geen zorgen', null],
])('outcome %s', (text, expected) => {
  expect(parseUitkomst(text)).toBe(expected);
});
