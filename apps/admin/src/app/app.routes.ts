import { Route } from '@angular/router';
import { organizationGuard, signedInGuard } from './core/guards';
import { homeRedirect } from './shell/home-redirect';

/** Every page is lazy-loaded: the first load carries only the frame, sign-in and setup. */
export const appRoutes: Route[] = [
  { path: 'setup', title: 'Set up · Keyring', loadComponent: () => import('./auth/setup').then((m) => m.Setup) },
  { path: 'login', title: 'Sign in · Keyring', loadComponent: () => import('./auth/login').then((m) => m.Login) },
  { path: 'invitations/accept', title: 'Join · Keyring', loadComponent: () => import('./members/accept-invitation').then((m) => m.AcceptInvitation) },
  {
    path: '',
    canActivate: [signedInGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', canActivate: [homeRedirect], children: [] },
      { path: 'profile', title: 'Profile · Keyring', loadComponent: () => import('./profile/profile').then((m) => m.Profile) },
      {
        path: 'orgs/:orgId',
        canActivate: [organizationGuard],
        children: [
          { path: 'dashboard', title: 'Dashboard · Keyring', loadComponent: () => import('./dashboard/dashboard').then((m) => m.Dashboard) },
          { path: 'tenants', title: 'Tenants · Keyring', loadComponent: () => import('./tenants/tenants').then((m) => m.Tenants) },
          { path: 'tenants/:tenantId', title: 'Client · Keyring', loadComponent: () => import('./tenants/tenant-page').then((m) => m.TenantPage) },
          { path: 'widgets', title: 'Widgets · Keyring', loadComponent: () => import('./widgets/widgets').then((m) => m.Widgets) },
          { path: 'widgets/:widgetId', title: 'Widget · Keyring', loadComponent: () => import('./widgets/widget-page').then((m) => m.WidgetPage) },
          { path: 'imports', title: 'Import and export · Keyring', loadComponent: () => import('./imports/import-page').then((m) => m.ImportPage) },
          { path: 'api-keys', title: 'API keys · Keyring', loadComponent: () => import('./api-keys/api-keys').then((m) => m.ApiKeys) },
          { path: 'members', title: 'Members · Keyring', loadComponent: () => import('./members/members').then((m) => m.Members) },
          { path: 'members/:userId/offboarding', title: 'Offboarding · Keyring', loadComponent: () => import('./members/offboarding').then((m) => m.Offboarding) },
          { path: 'webhooks', title: 'Webhooks · Keyring', loadComponent: () => import('./webhooks/webhooks').then((m) => m.Webhooks) },
          { path: 'webhooks/:webhookId', title: 'Webhook · Keyring', loadComponent: () => import('./webhooks/webhook-page').then((m) => m.WebhookPage) },
          { path: 'settings', title: 'Settings · Keyring', loadComponent: () => import('./settings/settings').then((m) => m.Settings) },
          { path: 'audit', title: 'Audit log · Keyring', loadComponent: () => import('./audit/audit').then((m) => m.AuditLog) },
          { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
        ],
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
