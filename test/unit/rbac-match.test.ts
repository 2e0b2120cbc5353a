/**
 * Rule matching, one semantic rule of the Kubernetes RBAC authorizer per test, each with the
 * requests it must allow and the ones it must not, side by side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeRule, ruleAllows } from '../../src/rbac/match.js';
import type { NonResourceRequest, ResourceRequest } from '../../src/rbac/types.js';

const rule = (r: Record<string, string[]>) => normalizeRule(r);
const req = (verb: string, resource: string, extra: Partial<ResourceRequest> = {}): ResourceRequest => {
  const [res, sub = ''] = resource.split('/');
  return { verb, apiGroup: '', resource: res!, subresource: sub, ...extra };
};
const url = (verb: string, path: string): NonResourceRequest => ({ verb, path });

describe('RBAC rule matching', () => {
  it('verbs: exact verb or *', () => {
    const r = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
    assert.equal(ruleAllows(r, req('get', 'pods')), true);
    assert.equal(ruleAllows(r, req('list', 'pods')), false);
    const all = rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] });
    assert.equal(ruleAllows(all, req('escalate', 'pods')), true);
    assert.equal(ruleAllows(all, req('list', 'secrets')), false);
  });

  it('apiGroups: exact group, "" is core, * is any', () => {
    const core = rule({ verbs: ['get'], apiGroups: [''], resources: ['deployments'] });
    assert.equal(ruleAllows(core, req('get', 'deployments', { apiGroup: '' })), true);
    assert.equal(ruleAllows(core, req('get', 'deployments', { apiGroup: 'apps' })), false);
    const any = rule({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] });
    assert.equal(ruleAllows(any, req('get', 'deployments', { apiGroup: 'apps' })), true);
    assert.equal(ruleAllows(rule({ verbs: ['get'], apiGroups: [], resources: ['pods'] }), req('get', 'pods')), false);
  });

  it('resources: * matches every resource and every subresource', () => {
    const r = rule({ verbs: ['get'], apiGroups: [''], resources: ['*'] });
    assert.equal(ruleAllows(r, req('get', 'secrets')), true);
    assert.equal(ruleAllows(r, req('get', 'pods/log')), true);
  });

  it('resources: a plain resource does not match its subresources, and resource/sub matches only that', () => {
    const pods = rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'] });
    assert.equal(ruleAllows(pods, req('create', 'pods')), true);
    assert.equal(ruleAllows(pods, req('create', 'pods/exec')), false);
    const exec = rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] });
    assert.equal(ruleAllows(exec, req('create', 'pods/exec')), true);
    assert.equal(ruleAllows(exec, req('create', 'pods')), false);
    assert.equal(ruleAllows(exec, req('create', 'pods/attach')), false);
  });

  it('resources: */sub matches that subresource of any resource, and nothing else', () => {
    const r = rule({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] });
    assert.equal(ruleAllows(r, req('get', 'deployments/scale', { apiGroup: 'apps' })), true);
    assert.equal(ruleAllows(r, req('get', 'replicationcontrollers/scale')), true);
    assert.equal(ruleAllows(r, req('get', 'deployments', { apiGroup: 'apps' })), false);
    assert.equal(ruleAllows(r, req('get', 'deployments/status', { apiGroup: 'apps' })), false);
  });

  it('resources: pods/* is not a wildcard (it matches only a subresource named "*")', () => {
    const r = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] });
    assert.equal(ruleAllows(r, req('get', 'pods/log')), false);
    assert.equal(ruleAllows(r, req('get', 'pods')), false);
    assert.equal(ruleAllows(r, req('get', 'pods/*')), true);
    const starStar = rule({ verbs: ['get'], apiGroups: [''], resources: ['*/*'] });
    assert.equal(ruleAllows(starStar, req('get', 'pods/log')), false);
  });

  it('resourceNames: named requests only; never list, create or deletecollection (no name)', () => {
    const r = rule({ verbs: ['get', 'list', 'create', 'deletecollection', 'update'], apiGroups: [''], resources: ['secrets'], resourceNames: ['app'] });
    assert.equal(ruleAllows(r, req('get', 'secrets', { name: 'app' })), true);
    assert.equal(ruleAllows(r, req('update', 'secrets', { name: 'app' })), true);
    assert.equal(ruleAllows(r, req('get', 'secrets', { name: 'other' })), false);
    assert.equal(ruleAllows(r, req('list', 'secrets')), false);
    assert.equal(ruleAllows(r, req('create', 'secrets')), false);
    assert.equal(ruleAllows(r, req('deletecollection', 'secrets')), false);
    const noNames = rule({ verbs: ['list'], apiGroups: [''], resources: ['secrets'] });
    assert.equal(ruleAllows(noNames, req('list', 'secrets')), true);
  });

  it('nonResourceURLs: exact path, *, and a trailing * as a prefix match', () => {
    const exact = rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] });
    assert.equal(ruleAllows(exact, url('get', '/healthz')), true);
    assert.equal(ruleAllows(exact, url('get', '/healthz/ready')), false);
    assert.equal(ruleAllows(exact, url('post', '/healthz')), false);
    const prefix = rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] });
    assert.equal(ruleAllows(prefix, url('get', '/healthz/ready')), true);
    assert.equal(ruleAllows(prefix, url('get', '/healthz/')), true);
    assert.equal(ruleAllows(prefix, url('get', '/healthz')), false);
    const glued = rule({ verbs: ['get'], nonResourceURLs: ['/api*'] });
    assert.equal(ruleAllows(glued, url('get', '/apis/apps')), true);
    assert.equal(ruleAllows(glued, url('get', '/ap')), false);
    const any = rule({ verbs: ['*'], nonResourceURLs: ['*'] });
    assert.equal(ruleAllows(any, url('delete', '/anything')), true);
  });

  it('resource rules never match non-resource requests, and the other way round', () => {
    const res = rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    assert.equal(ruleAllows(res, url('get', '/healthz')), false);
    const urls = rule({ verbs: ['*'], nonResourceURLs: ['*'] });
    assert.equal(ruleAllows(urls, req('get', 'pods')), false);
  });
});
