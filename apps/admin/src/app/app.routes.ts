import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./welcome/welcome').then((m) => m.Welcome) },
  { path: '**', redirectTo: '' },
];
