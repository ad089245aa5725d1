import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

type Query = Record<string, string | number | boolean | null | undefined>;

/** The Keyring API at /api/v1, as promises (the console awaits one answer per call). */
@Injectable({ providedIn: 'root' })
export class Api {
  private readonly http = inject(HttpClient);

  get<T>(path: string, query: Query = {}): Promise<T> {
    return firstValueFrom(this.http.get<T>(`/api/v1${path}`, { params: params(query) }));
  }

  /** The address of a GET, for the browser to fetch itself (a download saved to disk as it arrives). */
  url(path: string, query: Query = {}): string {
    const search = params(query).toString();
    return `/api/v1${path}${search ? `?${search}` : ''}`;
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return firstValueFrom(this.http.post<T>(`/api/v1${path}`, body));
  }

  /** A text body of its own type (a CSV), rather than JSON. */
  postText<T>(path: string, text: string, type: string, query: Query = {}): Promise<T> {
    return firstValueFrom(this.http.post<T>(`/api/v1${path}`, text, { params: params(query), headers: { 'Content-Type': type } }));
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return firstValueFrom(this.http.patch<T>(`/api/v1${path}`, body));
  }

  delete<T>(path: string): Promise<T> {
    return firstValueFrom(this.http.delete<T>(`/api/v1${path}`));
  }
}

function params(query: Query): HttpParams {
  let result = new HttpParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') result = result.set(name, String(value));
  }
  return result;
}
