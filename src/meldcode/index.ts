export * from './types';
export { aandachtspunten, aandachtspuntText, actionText, adviceTitle, advise, afwegingConclusion, afwegingsvraagText, isRouteActie, firstOpenStep, kindcheckDue, nextAfwegingsvraag, routeContacts, routeOverleg, stepTitle } from './engine';
