import React, { useState } from 'react';
import { Box, Button, H3, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler, ViewHelpers } from 'adminjs';

const api = new ApiClient();
const h = new ViewHelpers();

/**
 * The page of a record action with a side effect: what it does, in words, and two buttons named
 * by what they do. Opening the page (a GET) changes nothing; only the first button POSTs.
 */
const ConfirmAction = (props) => {
  const { record, resource, action } = props;
  const confirmation = record.confirmation || { question: `${action.label}?`, confirmLabel: action.label, keepLabel: 'Go back', variant: 'contained' };
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(null);
  const handleResponse = useActionResponseHandler();
  const showUrl = h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' });

  const confirm = async () => {
    setBusy(true);
    setFailed(null);
    try {
      handleResponse(await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: new FormData() }));
    } catch (error) {
      setFailed('The request failed: reload the page and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="white" data-testid="confirm-action">
      <H3>{confirmation.question}</H3>
      <Text mb="lg">{record.title}</Text>
      {confirmation.note ? <MessageBox variant="info" message={confirmation.note} mb="lg" data-testid="confirm-note" /> : null}
      {failed ? <MessageBox variant="danger" message={failed} mb="lg" /> : null}
      <Box flex flexDirection="row">
        <Button variant={confirmation.variant === 'danger' ? 'danger' : 'contained'} onClick={confirm} disabled={busy} mr="default" type="button">
          {confirmation.confirmLabel}
        </Button>
        <Button as="a" href={showUrl} variant="outlined" type="button">{confirmation.keepLabel}</Button>
      </Box>
    </Box>
  );
};

export default ConfirmAction;
