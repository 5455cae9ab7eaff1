import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';

describeEachDatabase('agents smoke', (ctx) => {
  it('creates and reads an agent', async () => {
    const { app } = ctx();
    const created = await app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx().as('operator'), payload: { name: 'a', kind: 'llm_agent', tags: ['x'] } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const read = await app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: ctx().as('viewer') });
    expect(read.statusCode).toBe(200);
    expect(read.json().tags).toEqual(['x']);
  });
});
