/**
 * The live event stream ({@code GET /api/v1/events}, Server-Sent Events) for the dashboard, fixtures
 * and MES: a snapshot on connect, then port, job and station changes as the service's domain
 * events report them. One broadcaster thread turns the events into views and fans them out to a
 * bounded queue per client; each client has its own sender, so a slow or dead client is dropped
 * instead of slowing the workers.
 */
package com.flashline.events;
