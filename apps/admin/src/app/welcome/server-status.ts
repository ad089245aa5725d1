import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { catchError, map, Observable, of } from 'rxjs';

export type ServerStatus = 'checking' | 'ready' | 'not-ready';

/** Reads `/readyz`: the server is up, its database answers and its migrations are applied. */
@Injectable({ providedIn: 'root' })
export class ServerStatusService {
  private readonly http = inject(HttpClient);

  readiness(): Observable<ServerStatus> {
    return this.http.get('/readyz').pipe(
      map((): ServerStatus => 'ready'),
      catchError(() => of<ServerStatus>('not-ready')),
    );
  }
}
