import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../../platform/http/schemas.js';

export const SignInBody = Type.Object(
  {
    api_key: Type.String({ minLength: 1, maxLength: 256, description: 'a viewer, operator or admin API key; exchanged for the session cookie, never stored' }),
  },
  { title: 'SignInRequest', additionalProperties: false },
);

export const ConsoleSession = Type.Object(
  {
    id: Uuid,
    key: Type.Object({
      id: Uuid,
      name: Type.String(),
      role: Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')], { description: 'what the session may do (the key’s role)' }),
    }),
    expires_at: Timestamp,
    csrf_token: Type.String({ description: 'echo it in the X-CSRF-Token header of every write made with this session' }),
  },
  { title: 'ConsoleSession', description: 'A console session; its token is only in the HttpOnly cookie (docs/console.md)' },
);
