import React, { useState } from 'react';
import { Box, Button, FormGroup, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useNotice } from 'adminjs';

const api = new ApiClient();

/**
 * Refunds a session, in full or in part, in two POSTs: the first checks the amount and answers the
 * sentence to confirm ("Refund 5,000.00 AMD of 10,000.00 AMD?"), the second (confirmed) refunds.
 * Every check and the refund itself are the server's: this page only shows its answers.
 */
const SessionRefund = (props) => {
  const { resource, record: initial } = props;
  const addNotice = useNotice();
  const [record, setRecord] = useState(initial);
  const [full, setFull] = useState(true);
  const [amount, setAmount] = useState((initial && initial.params.refundLeftMajor) || '');
  const [reason, setReason] = useState('');
  const [confirmation, setConfirmation] = useState(null);
  const [outcome, setOutcome] = useState(null);
  const [busy, setBusy] = useState(false);
  const params = (record && record.params) || {};

  const send = async (confirmed) => {
    setBusy(true);
    try {
      const data = new FormData();
      data.set('full', full ? 'true' : 'false');
      if (!full) data.set('amount', amount);
      if (reason) data.set('reason', reason);
      if (confirmed) data.set('confirmed', 'true');
      const response = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'refund', method: 'post', data });
      const body = response.data || {};
      if (body.record) setRecord(body.record);
      if (body.notice) addNotice(body.notice);
      if (confirmed) {
        setConfirmation(null);
        if (body.refund) setOutcome({ ...body.refund, message: body.notice && body.notice.message, type: body.notice && body.notice.type });
        if (body.record && body.record.params.refundLeftMajor) setAmount(body.record.params.refundLeftMajor);
      } else {
        setConfirmation(body.confirmation || null);
      }
    } catch (error) {
      addNotice({ message: 'The panel could not reach the server: nothing was refunded. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const refundsLink = (
    <Text mb="lg">
      <a href={`${window.location.pathname.split('/resources/')[0]}/resources/Refund?filters.sessionId=${encodeURIComponent(record.id)}`} data-testid="session-refunds-link">
        This session's refunds
      </a>
    </Text>
  );

  const outcomeBox = outcome ? (
    <MessageBox
      data-testid="refund-outcome"
      variant={outcome.status === 'succeeded' ? 'success' : outcome.status === 'pending' ? 'info' : 'danger'}
      message={outcome.message || `Refund ${outcome.id}: ${outcome.status}`}
      mb="lg"
    />
  ) : null;

  if (!params.refundAvailable || params.refundAvailable === 'false') {
    return (
      <Box variant="white">
        {outcomeBox}
        {refundsLink}
        <Text data-testid="refund-unavailable">{params.refundUnavailable || 'This session cannot be refunded.'}</Text>
      </Box>
    );
  }

  if (confirmation) {
    return (
      <Box variant="white" data-testid="refund-confirmation">
        <Text as="h3" fontSize="lg" mb="lg">{confirmation.question}</Text>
        <Text mb="lg">The money goes back to the customer through the session's provider. A refund cannot be undone.</Text>
        <Button variant="contained" color="danger" mr="default" disabled={busy} onClick={() => send(true)} data-testid="refund-confirm">
          {`Refund ${confirmation.amountText}`}
        </Button>
        <Button variant="outlined" disabled={busy} onClick={() => setConfirmation(null)}>Back</Button>
      </Box>
    );
  }

  return (
    <Box
      as="form"
      variant="white"
      onSubmit={(event) => {
        event.preventDefault();
        send(false);
      }}
    >
      {outcomeBox}
      <Text mb="lg" data-testid="refund-summary">{`Paid ${params.refundPaidText}; left to refund ${params.refundLeftText}.`}</Text>
      {refundsLink}
      <FormGroup>
        <Label>
          <input type="radio" name="mode" value="full" checked={full} onChange={() => setFull(true)} />
          {` Refund all that is left (${params.refundLeftText})`}
        </Label>
        <Label>
          <input type="radio" name="mode" value="partial" checked={!full} onChange={() => setFull(false)} />
          {' Refund part of it'}
        </Label>
      </FormGroup>
      {full ? null : (
        <FormGroup>
          <Label required>{`Amount in ${params.refundCurrency}`}</Label>
          <Input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} width={1 / 3} />
        </FormGroup>
      )}
      <FormGroup>
        <Label>Reason (optional, sent to the provider where it takes one)</Label>
        <Input name="reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} width={1} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy} data-testid="refund-review">Review refund</Button>
    </Box>
  );
};

export default SessionRefund;
