import React, { useEffect, useState } from 'react';
import { Box, H2, H4, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const api = new ApiClient();

const percent = (rate) => (rate === null ? 'no finished sessions yet' : `${(rate * 100).toFixed(1)} %`);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : 'never');

const Dashboard = () => {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    api
      .getDashboard()
      .then((response) => setData(response.data))
      .catch(() => setError('The dashboard could not be loaded.'));
  }, []);

  if (error) return <Box variant="grey"><Text>{error}</Text></Box>;
  if (!data) return <Box variant="grey"><Text>Loading…</Text></Box>;

  return (
    <Box variant="grey" data-testid="dashboard">
      {data.holds ? (
        <Box variant="white" mb="xl" data-testid="holds">
          <H2>Payments on hold</H2>
          <Text>
            {data.holds.awaiting_capture} awaiting capture · {data.holds.capture_due_soon} due within {Math.round(data.holds.warningSeconds / 3600)} h ·{' '}
            {data.holds.past_capture_before} past their deadline (the provider may have released them).{' '}
            <a href="/admin/resources/Session?filters.status=requires_capture">Sessions awaiting capture</a>
          </Text>
        </Box>
      ) : null}
      <Box variant="white" mb="xl">
        <H2>Sessions in the last 24 hours</H2>
        <Text mb="lg" data-testid="conversion-rate">
          {data.sessions.total} sessions · conversion rate {percent(data.sessions.conversionRate)} ({data.sessions.succeeded} succeeded of {data.sessions.terminal} finished)
        </Text>
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Provider</TableCell>
              {data.statuses.map((status) => <TableCell key={status}>{status}</TableCell>)}
            </TableRow>
          </TableHead>
          <TableBody>
            {data.sessions.byProvider.length === 0 ? (
              <TableRow><TableCell colSpan={data.statuses.length + 1}>No sessions in the last 24 hours.</TableCell></TableRow>
            ) : (
              data.sessions.byProvider.map((row) => (
                <TableRow key={row.provider}>
                  <TableCell>{row.provider}</TableCell>
                  {data.statuses.map((status) => <TableCell key={status}>{row.counts[status] || 0}</TableCell>)}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Box>
      {data.routing ? (
      <Box variant="white" mb="xl" data-testid="routing">
        <H2>Providers and routing</H2>
        <Table mb="lg">
          <TableHead>
            <TableRow>
              <TableCell>Provider</TableCell>
              <TableCell>Circuit breaker</TableCell>
              <TableCell>Consecutive failures</TableCell>
              <TableCell>Last failure</TableCell>
              <TableCell>Skipped until</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.routing.breakers.map((breaker) => (
              <TableRow key={breaker.provider} data-testid={`breaker-${breaker.provider}`}>
                <TableCell>{breaker.provider}</TableCell>
                <TableCell>{breaker.state.replace('_', '-')}</TableCell>
                <TableCell>{breaker.consecutiveFailures}</TableCell>
                <TableCell>{breaker.lastFailureCode ? `${breaker.lastFailureCode} (${when(breaker.lastFailureAt)})` : '—'}</TableCell>
                <TableCell>{breaker.retryAt ? when(breaker.retryAt) : '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <H4>Routing rules, in order</H4>
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Rule</TableCell>
              <TableCell>Matches</TableCell>
              <TableCell>Providers</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.routing.rules.map((rule) => (
              <TableRow key={rule.name}>
                <TableCell>{rule.name}</TableCell>
                <TableCell>{rule.match}</TableCell>
                <TableCell>{rule.providers}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell>PROVIDERS_ORDER (fallback)</TableCell>
              <TableCell>{data.routing.rules.length === 0 ? 'every session' : 'sessions no rule decides'}</TableCell>
              <TableCell>{data.routing.providersOrder.join(' → ')}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
      </Box>
      ) : null}
      {data.jobs ? (
      <Box variant="white" mb="xl" data-testid="jobs">
        <H2>Scheduled jobs</H2>
        {data.jobs.length === 0 ? (
          <Text>No job has run yet.</Text>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableCell>Job</TableCell>
                <TableCell>Last run</TableCell>
                <TableCell>Last result</TableCell>
                <TableCell>Last success</TableCell>
                <TableCell>State</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.jobs.map((job) => (
                <TableRow key={job.job}>
                  <TableCell>{job.job}</TableCell>
                  <TableCell>{when(job.lastRunAt)}</TableCell>
                  <TableCell>{job.lastRunStatus || '—'}</TableCell>
                  <TableCell>{when(job.lastSuccessAt)}</TableCell>
                  <TableCell>{job.paused ? 'paused' : job.health}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
      ) : null}
      <Text>Generated {when(data.generatedAt)}</Text>
    </Box>
  );
};

export default Dashboard;
