export * from './types';
export { advise, afwegingConclusion, afwegingsvraagText, firstOpenStep, kindcheckDue, nextAfwegingsvraag, routeContacts, routeOverleg, stepTitle } from './engine';
