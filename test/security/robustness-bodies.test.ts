import express from 'express';
import { expect } from 'chai';
import supertest from 'supertest';
import { errorHandler } from '../../server/middleware/error-handler.ts';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { translator } from '../../server/lib/i18n.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { redactUrl } from '../../server/lib/redact.ts';
import { buildApp, buildDb } from '../support/app.ts';

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
    expect(res.type).to.equal('application/json');
    expect(res.body).to.deep.equal({ error: { status: 413, message: translator('zh-CN')('errors.tooLarge.body') } });
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

describe('robustness: a CSRF token in a URL never reaches a log or a link', () => {
  it('when a URL holds a token, in any case or percent-encoded inside another URL, then redactUrl hides it and keeps the rest', () => {
    expect(redactUrl('/assessment/2024/evidence?objectKey=r.a&_csrf=abc-DEF.1&x=1')).to.equal(
      '/assessment/2024/evidence?objectKey=r.a&_csrf=[redacted]&x=1',
    );
    expect(redactUrl('/a?_CSRF=tok#top')).to.equal('/a?_CSRF=[redacted]#top');
    expect(redactUrl('/lang/en?back=%2Fa%3Fk%3Dr%26_csrf%3Dsecret%26x%3D1')).to.equal(
      '/lang/en?back=%2Fa%3Fk%3Dr%26_csrf%3D[redacted]%26x%3D1',
    );
    expect(redactUrl('/x?back=%252Fa%253F_Csrf%253Dsecret%2526y')).to.equal('/x?back=%252Fa%253F_Csrf%253D[redacted]%2526y');
    expect(redactUrl('/a?my_csrf=kept&_csrfx=kept')).to.equal('/a?my_csrf=kept&_csrfx=kept');
  });

  /** A logger whose lines are kept in memory. */
  function memoryLogger() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    return { logger: pino({ level: 'info' }, stream), text: () => lines.join('') };
  }

  it('when requests carry a token in their URL, then the request log holds none of it', async () => {
    const { logger, text } = memoryLogger();
    const app = createApp({ db: buildDb(), config: loadConfig({ NODE_ENV: 'test' }), logger });
    await supertest(app).get('/login?_CSRF=SECRET1');
    await supertest(app).get('/lang/en?back=%2Fassessment%2F2024%2Fevidence%3Fk%3Dr%26_csrf%3DSECRET2');
    expect(text()).to.contain('[redacted]').and.to.contain('/lang/en');
    expect(text()).to.not.match(/SECRET/);
  });

  it('when a request with a token in its URL fails, then the error log holds none of it', async () => {
    const { logger, text } = memoryLogger();
    const app = express();
    app.get('/boom', () => {
      throw new Error('something broke');
    });
    app.use(errorHandler(logger));
    expect((await supertest(app).get('/boom?objectKey=r&_csrf=SECRET3').set('Accept', 'application/json')).status).to.equal(500);
    expect(text()).to.contain('request failed').and.to.contain('_csrf=[redacted]');
    expect(text()).to.not.contain('SECRET3');
  });
});
