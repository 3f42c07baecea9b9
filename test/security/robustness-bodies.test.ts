import express from 'express';
import { expect } from 'chai';
import supertest from 'supertest';
import { errorHandler } from '../../server/middleware/error-handler.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { buildApp } from '../support/app.ts';

/** What a stack trace looks like in a response: a frame line or the internals' file names. */
const STACK = /\bat \S+ \(|node_modules|views\.ts|TypeError/;

describe('robustness: request bodies that break the parsers', () => {
  const { app } = buildApp(undefined, { NODE_ENV: 'production' });
  const big = `username=${'x'.repeat(300_000)}`;
  const many = Array.from({ length: 2000 }, (_, i) => `f${i}=1`).join('&');

  it('when a form body is over the size limit, then the answer is a 413 page in the app look', async () => {
    const res = await supertest(app).post('/login').type('form').send(big);
    expect(res.status).to.equal(413);
    expect(res.type).to.equal('text/html');
    expect(res.text).to.contain('东西部协作工作平台').and.to.contain('提交的内容过大');
    expect(res.text).to.not.match(STACK);
  });

  it('when a form has too many fields, then the answer is a 413 page in the app look', async () => {
    const res = await supertest(app).post('/login').type('form').send(many);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('东西部协作工作平台').and.to.contain('字段过多');
    expect(res.text).to.not.match(STACK);
  });

  it('when a body names an unknown charset, then the answer is a 415 page in the app look', async () => {
    const res = await supertest(app)
      .post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r')
      .send('username=a');
    expect(res.status).to.equal(415);
    expect(res.text).to.contain('东西部协作工作平台').and.to.contain('不支持');
    expect(res.text).to.not.match(STACK);
  });

  it('when a body is malformed (a gzip body that is not gzip), then the answer is a 400 page', async () => {
    const res = await supertest(app)
      .post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', 'gzip')
      .send('not gzip at all');
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('东西部协作工作平台').and.to.contain('请求有误');
    expect(res.text).to.not.match(STACK);
  });

  it('when a JSON client sends a body over the limit, then it gets JSON with the status', async () => {
    const res = await supertest(app).post('/login').set('Accept', 'application/json').type('form').send(big);
    expect(res.status).to.equal(413);
    expect(res.body).to.deep.include({ error: { status: 413, message: res.body.error.message } });
    expect(res.body.error.message).to.contain('过大');
  });

  it('when the English cookie is set, then the refusal is in English', async () => {
    const res = await supertest(app).post('/login').set('Cookie', 'lang=en').type('form').send(big);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('too large');
  });
});

describe('robustness: the error handler itself', () => {
  it('when rendering the error page fails, then a plain text message is sent, never a stack', async () => {
    const app = express();
    app.engine('hbs', (_path: string, _opts: object, cb: (e: unknown, s?: string) => void) => cb(new Error('engine is down')));
    app.set('view engine', 'hbs');
    app.get('/', () => {
      throw new Error('something broke');
    });
    app.use(errorHandler(createLogger('silent')));
    const res = await supertest(app).get('/').set('Accept', 'text/html');
    expect(res.status).to.equal(500);
    expect(res.type).to.equal('text/plain');
    expect(res.text).to.contain('系统出错');
    expect(res.text).to.not.match(STACK);
    expect(res.text).to.not.contain('engine is down');
  });
});
